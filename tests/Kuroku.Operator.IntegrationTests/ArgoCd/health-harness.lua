-- Runs an Argo CD health script the way Argo CD does: `obj` is a global holding the resource, and the
-- script's chunk returns {status, message}.
-- usage: lua5.1 health-harness.lua HEALTH.lua < OBJECT   (OBJECT: a Lua expression, the resource as a table)
obj = assert(loadstring("return " .. io.read("*a"), "object"))()
local hs = dofile(arg[1])
io.write(tostring(hs.status), "\n", tostring(hs.message), "\n")
