-- wrk script: POST valid satisfaccion answers, each with a distinct
-- submission id (thread number + counter), and count the 303s so the
-- benchmark can check every acknowledged answer is in the database.
local counter = 0
-- tid is set per thread by setup() (a global in each thread's Lua state)
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  acked = 0
  others = 0
end

function request()
  counter = counter + 1
  local sid = string.format("bench%02d-%012d", tid, counter)
  local body = "_sid=" .. sid .. "&_t=0&servicio=mercado&satisfaccion=4&confianza=5&necesidad=4" ..
               "&facilidad=3&tiempo=4&trato=5&personal=4&esp_mercado=2&comentario_tipo=ninguno" ..
               "&sexo=mujer&edad=30_44&zona=rural&idioma=es"
  return wrk.format("POST", "/e/satisfaccion?p=mercado-municipal&lang=es",
                    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status == 303 then acked = acked + 1 else others = others + 1 end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acked")
    o = o + t:get("others")
  end
  io.write(string.format("acked %d\nother %d\n", a, o))
end
