-- wrk script for the scenarios of tests/bench/run that need a method,
-- a body or headers: wrk -s request.lua URL -- METHOD BODY_FILE|- ["Name: value" ...]
function init(args)
   if not args[1] then
      error("request.lua: usage: wrk -s request.lua URL -- METHOD BODY_FILE|- [HEADER ...]")
   end
   wrk.method = args[1]
   if args[2] and args[2] ~= "-" then
      local f = assert(io.open(args[2], "rb"))
      wrk.body = f:read("*a")
      f:close()
   end
   for i = 3, #args do
      local name, value = args[i]:match("^([^:]+):%s*(.*)$")
      wrk.headers[name] = value
   end
end
