using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Core.Tests.Chat;

public sealed class RateLimiterTests
{
    [Fact]
    public void TryAcquire_BucketEmptied_RefusesWithTheWaitThenRefills()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(clock, capacity: 2, refillEvery: TimeSpan.FromSeconds(10));

        Assert.True(limiter.TryAcquire("alice", out _));
        Assert.True(limiter.TryAcquire("alice", out _));
        Assert.False(limiter.TryAcquire("alice", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(10), wait);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(limiter.TryAcquire("alice", out wait));
        Assert.Equal(TimeSpan.FromSeconds(6), wait);

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(limiter.TryAcquire("alice", out _));
        Assert.False(limiter.TryAcquire("alice", out _));
    }

    [Fact]
    public void TryAcquire_KeysAreIndependent_OneUsersFloodDoesNotStopAnother()
    {
        var limiter = new RateLimiter(new FakeTimeProvider(), capacity: 1, refillEvery: TimeSpan.FromMinutes(1));

        Assert.True(limiter.TryAcquire("user:alice", out _));
        Assert.False(limiter.TryAcquire("user:alice", out _));
        Assert.True(limiter.TryAcquire("user:bob", out _));
    }

    [Fact]
    public void TryAcquire_LongIdle_RefillsToCapacityNotBeyond()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(clock, capacity: 3, refillEvery: TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryAcquire("c", out _));
        }

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire("c", out TimeSpan _)));
    }
}
