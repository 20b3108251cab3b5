-- wrk script: GET survey pages (every point, both languages) and stop
-- each thread after `limit` responses, so memory can be read after an
-- exact number of requests. limit comes from the BENCH_LIMIT variable.
local limit = tonumber(os.getenv("BENCH_LIMIT") or "10000")
local points = { "mercado-municipal", "matadero-municipal", "cementerio-municipal",
                 "recoleccion-camion-1", "oficina-recepcion", "" }
local forms = { "satisfaccion", "accesibilidad", "agilidad" }
local langs = { "es", "ht" }
local n = 0

function request()
  n = n + 1
  local f = forms[n % #forms + 1]
  local p = points[n % #points + 1]
  local l = langs[n % #langs + 1]
  return wrk.format("GET", "/e/" .. f .. "?lang=" .. l .. (p ~= "" and ("&p=" .. p) or ""))
end

local seen = 0
function response(status, headers, body)
  seen = seen + 1
  if seen >= limit then wrk.thread:stop() end
end
