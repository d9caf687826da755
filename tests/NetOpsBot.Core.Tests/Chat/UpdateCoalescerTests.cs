using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Core.Tests.Chat;

public sealed class UpdateCoalescerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Schedule_ManyRequestsDuringAFlush_FoldIntoOneLaterFlushWithTheLatest()
    {
        var time = new FakeTimeProvider();
        var errors = new List<Exception>();
        await using var coalescer = new UpdateCoalescer(Interval, time, (_, e) => errors.Add(e));
        var flushed = new List<int>();
        var inFlight = 0;
        var maxInFlight = 0;
        var firstStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        Func<CancellationToken, Task> Flush(int n) => async _ =>
        {
            maxInFlight = Math.Max(maxInFlight, Interlocked.Increment(ref inFlight));
            lock (flushed)
            {
                flushed.Add(n);
            }

            if (n == 0)
            {
                firstStarted.SetResult();
                await release.Task;
            }

            Interlocked.Decrement(ref inFlight);
        };

        coalescer.Schedule("INC-1", Flush(0));
        await firstStarted.Task;
        for (var n = 1; n <= 50; n++)
        {
            coalescer.Schedule("INC-1", Flush(n));
        }

        release.SetResult();
        while (!flushed.Contains(50))
        {
            time.Advance(Interval);
            await Task.Delay(10);
        }

        await coalescer.DrainAsync();
        Assert.Equal([0, 50], flushed);
        Assert.Equal(1, maxInFlight);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Schedule_DifferentKeys_FlushIndependently()
    {
        var time = new FakeTimeProvider();
        await using var coalescer = new UpdateCoalescer(Interval, time, (_, _) => { });
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();

        coalescer.Schedule("INC-1", _ => { seen.Add("a"); return Task.CompletedTask; });
        coalescer.Schedule("INC-2", _ => { seen.Add("b"); return Task.CompletedTask; });
        await coalescer.DrainAsync();

        Assert.Equal(["a", "b"], seen.Order());
    }

    [Fact]
    public async Task Schedule_AfterAFlushThrew_ReportsItAndStillFlushesTheNextRequest()
    {
        var time = new FakeTimeProvider();
        var errors = new List<string>();
        await using var coalescer = new UpdateCoalescer(TimeSpan.Zero, time, (key, e) => errors.Add(key + ": " + e.Message));
        var ran = false;

        coalescer.Schedule("INC-1", _ => throw new HttpRequestException("connector said 502"));
        await coalescer.DrainAsync();
        coalescer.Schedule("INC-1", _ => { ran = true; return Task.CompletedTask; });
        await coalescer.DrainAsync();

        Assert.Equal(["INC-1: connector said 502"], errors);
        Assert.True(ran);
    }

    [Fact]
    public async Task DisposeAsync_Twice_DoesNotThrow()
    {
        // The DI container disposes a surface registered under two service types twice; on SIGTERM the second
        // dispose cancelled a disposed token source and the host exited with an unhandled exception.
        var coalescer = new UpdateCoalescer(Interval, new FakeTimeProvider(), (_, _) => { });
        coalescer.Schedule("INC-1", _ => Task.CompletedTask);

        await coalescer.DisposeAsync();
        await coalescer.DisposeAsync();
        coalescer.Schedule("INC-1", _ => throw new InvalidOperationException("no flush after a stop"));
        await coalescer.DrainAsync();
    }

    [Fact]
    public async Task DisposeAsync_FlushHangingOnTheConnector_CancelledAfterTheGrace_NotReportedAsAFailure()
    {
        var errors = new List<Exception>();
        var coalescer = new UpdateCoalescer(Interval, new FakeTimeProvider(), (_, e) => errors.Add(e));
        var started = new TaskCompletionSource();
        coalescer.Schedule("INC-1", async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await started.Task;

        var stop = System.Diagnostics.Stopwatch.StartNew();
        await coalescer.DisposeAsync();

        Assert.InRange(stop.Elapsed, UpdateCoalescer.ShutdownGrace - TimeSpan.FromMilliseconds(200), UpdateCoalescer.ShutdownGrace * 2);
        Assert.Empty(errors);
    }
}
