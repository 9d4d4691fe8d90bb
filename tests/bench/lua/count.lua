-- wrk script for the "memory" scenario of tests/bench/run: each thread
-- stops after the number of responses given as the first script argument
-- (wrk -t2 -s count.lua URL -- N: about 2*N requests, plus the few that
-- are in flight when the threads stop).  Only for the last, short run that
-- tops the request count up to its target; the longer runs go without a
-- script, so that wrk does not parse every response for Lua.
local limit, count

function init(args)
   limit = tonumber(args[1])
   if not limit then
      error("count.lua: usage: wrk -s count.lua URL -- RESPONSES_PER_THREAD")
   end
   count = 0
end

function response(status, headers, body)
   count = count + 1
   if count >= limit then
      wrk.thread:stop()
   end
end
