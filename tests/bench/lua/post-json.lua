-- wrk script for the "post-json" scenario of tests/bench/run:
-- every request is POST with the body of the JSON file given as the first
-- script argument (wrk -s post-json.lua URL -- data/post-1k.json).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function init(args)
   local path = args[1]
   if not path then
      error("post-json.lua: usage: wrk -s post-json.lua URL -- BODY_FILE")
   end
   local f = assert(io.open(path, "rb"))
   wrk.body = f:read("*a")
   f:close()
end
