-- Argo CD health check for kuroku.dev/WebApp (Lua 5.1, as Argo CD runs it).
-- Healthy:     the operator has seen the current generation and Ready=True.
-- Degraded:    Degraded=True, or Ready=False because the spec is invalid or the release phase failed.
-- Progressing: anything else: the generation is not observed yet, conditions are missing, a release
--              phase runs, or processes are rolling out.
local hs = { status = "Progressing", message = "Waiting for the operator to reconcile the WebApp" }

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return c.type .. "=" .. tostring(c.status) .. " (" .. tostring(c.reason) .. ")"
end

local generation = obj.metadata ~= nil and obj.metadata.generation or nil
local status = obj.status
if status == nil or status.observedGeneration == nil then
  return hs
end
if generation ~= nil and status.observedGeneration < generation then
  hs.message = "Waiting for the operator to observe generation " .. generation
    .. " (observed " .. status.observedGeneration .. ")"
  return hs
end

local degraded = condition(status.conditions, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded)
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready == nil then
  hs.message = "Waiting for the Ready condition"
  return hs
end
if ready.observedGeneration ~= nil and generation ~= nil and ready.observedGeneration < generation then
  hs.message = "Waiting for the Ready condition of generation " .. generation
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end
if ready.status == "False" and (ready.reason == "InvalidSpec" or ready.reason == "ReleaseFailed") then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end
-- Ready=False while progressing (Progressing, ReleasePhaseRunning, rollout) or Ready=Unknown.
hs.message = describe(ready)
return hs
