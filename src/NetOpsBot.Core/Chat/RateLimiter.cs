using System.Collections.Concurrent;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// Token buckets per key (user, channel). A flood from one user is answered with a clear refusal
/// instead of queueing diagnoses against real devices.
/// </summary>
public sealed class RateLimiter
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly TimeSpan _refillEvery;

    public RateLimiter(TimeProvider time, int capacity, TimeSpan refillEvery)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        // A bucket that never refills would answer "try again in" a negative time, forever.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refillEvery, TimeSpan.Zero);
        _time = time;
        _capacity = capacity;
        _refillEvery = refillEvery;
    }

    /// <summary>Takes one token for <paramref name="key"/>; false (and when to retry) if the bucket is empty.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(_capacity, now));
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.LastRefill, now);
            if (elapsed >= _refillEvery)
            {
                var intervals = elapsed.Ticks / _refillEvery.Ticks;
                bucket.Tokens = (int)Math.Min(_capacity, bucket.Tokens + intervals);
                // Keep the part of an interval already waited (a request after 25 s of a 10 s refill has waited half
                // of the next token), unless the bucket is full: a full bucket banks nothing.
                bucket.LastRefill = bucket.Tokens == _capacity
                    ? now
                    : bucket.LastRefill + (long)(intervals * _refillEvery.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
            }

            if (bucket.Tokens > 0)
            {
                bucket.Tokens--;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = _refillEvery - _time.GetElapsedTime(bucket.LastRefill, now);
            return false;
        }
    }

    private sealed class Bucket(int tokens, long lastRefill)
    {
        public int Tokens { get; set; } = tokens;

        public long LastRefill { get; set; } = lastRefill;
    }
}
