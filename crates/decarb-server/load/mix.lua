-- Rotates over the fleet aggregate, plant lists with filters and pages, and a scenario POST
-- with varying seeds (each a new run, cached by the server).
local paths = {
  "/api/v1/fleet?group_by=sector,status",
  "/api/v1/plants?sector=steel&limit=100",
  "/api/v1/plants?text=steel&country=IND&limit=100",
  "/api/v1/plants?limit=100&offset=700",
  "/api/v1/fleet?group_by=country,route&status=operating",
  "/api/v1/projects?limit=50",
}
local i = 0
request = function()
  i = i + 1
  if i % 50 == 0 then
    local body = 'name = "soak"\nsectors = ["steel"]\nprice_set = "mpp-shared-2022"\ndemand = "bau"\ninvestment_jitter_years = 2\n[carbon_price]\npath = "zero"\n'
    return wrk.format("POST", "/api/v1/scenarios?seed=" .. i, {["Content-Type"] = "application/toml"}, body)
  end
  return wrk.format("GET", paths[(i % #paths) + 1])
end
