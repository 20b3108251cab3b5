-- wrk script for tools/bench_heavy.step.sh: one address floods the heavy
-- routes, each connection cycling through the indicators' JSON, CSV and
-- XLSX, the dashboard and the plan page, with a few filters so that some
-- requests miss the report cache.
local paths = {
  "/api/v1/indicators",
  "/api/v1/indicators.csv",
  "/api/v1/indicators.xlsx",
  "/indicadores",
  "/indicadores/plan",
  "/api/v1/indicators?form=satisfaccion&by=sexo",
  "/indicadores?by=edad",
  "/api/v1/indicators?service=mercado&by=none",
}
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
