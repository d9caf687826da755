-- Sends each pre-signed slash command once: the file is split between wrk's threads (thread n takes every
-- n-th line), and a thread that has sent its share stops instead of starting over, so no request is a replay.
local path = os.getenv("SLACK_PATH")
local threads = 0
local requests = {}
local i = 0

function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

function init(args)
  local n = 0
  local count = tonumber(os.getenv("SLACK_THREADS"))
  for line in io.lines(os.getenv("SLACK_REQUESTS")) do
    if n % count == index then
      local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", path, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Slack-Request-Timestamp"] = ts,
        ["X-Slack-Signature"] = sig,
      }, body)
    end
    n = n + 1
  end
end

function request()
  i = i + 1
  if i > #requests then
    -- Out of fresh commands: repeat the last one (a replay) only until response() stops the thread.
    return requests[#requests]
  end
  return requests[i]
end

function response(status, headers, body)
  if i >= #requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests_)
  io.write(string.format("  requests: %d; non-2xx answers: %d (socket errors: connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
