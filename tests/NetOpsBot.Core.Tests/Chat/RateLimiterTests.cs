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

    [Fact]
    public void TryAcquire_PartOfAnIntervalAlreadyWaited_CountsTowardsTheNextToken()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(clock, capacity: 3, refillEvery: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryAcquire("u", out _));
        }

        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.True(limiter.TryAcquire("u", out _));
        Assert.True(limiter.TryAcquire("u", out _));
        Assert.False(limiter.TryAcquire("u", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(5), wait);

        // 30 s after the bucket emptied, three tokens have been earned in all: "one more every 10 s".
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(limiter.TryAcquire("u", out _));
    }

    [Fact]
    public void TryAcquire_FullBucket_BanksNothingBeyondCapacity()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RateLimiter(clock, capacity: 2, refillEvery: TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("u", out _));
        clock.Advance(TimeSpan.FromSeconds(95));
        Assert.True(limiter.TryAcquire("u", out _));
        Assert.True(limiter.TryAcquire("u", out _));
        Assert.False(limiter.TryAcquire("u", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(10), wait);
    }

    [Fact]
    public void TryAcquire_ManyThreadsOnOneKey_NeverMoreThanCapacity()
    {
        var limiter = new RateLimiter(new FakeTimeProvider(), capacity: 10, refillEvery: TimeSpan.FromMinutes(1));
        var granted = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (limiter.TryAcquire("flood", out _))
            {
                Interlocked.Increment(ref granted);
            }
        });
        Assert.Equal(10, granted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_RefillThatNeverComes_Refused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimiter(new FakeTimeProvider(), 1, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Constructor_NoCapacity_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimiter(new FakeTimeProvider(), 0, TimeSpan.FromSeconds(1)));
}
