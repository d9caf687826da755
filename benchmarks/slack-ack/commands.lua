-- Replays the pre-signed slash commands round-robin (each wrk thread starts at a different offset).
local requests = dofile(os.getenv("SLACK_REQUESTS"))
local path = os.getenv("SLACK_PATH")
local i = 0

function setup(thread)
  thread:set("offset", math.random(#requests))
end

function request()
  i = i + 1
  local r = requests[((offset or 0) + i) % #requests + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = r.ts,
    ["X-Slack-Signature"] = r.sig,
  }, r.body)
end

function done(summary, latency, requests_)
  io.write(string.format("  non-2xx answers: %d (socket errors: connect %d, read %d, write %d, timeout %d)\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
