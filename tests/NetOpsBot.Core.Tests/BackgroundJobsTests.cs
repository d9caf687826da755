namespace NetOpsBot.Core.Tests;

/// <summary>
/// Issue 16 seam 3: the one background queue every surface hands its after-the-answer work to. A failure is reported
/// with what failed and stops nothing else; at most the given number run at once; a stop cancels what runs and reports
/// every item that never ran.
/// </summary>
public sealed class BackgroundJobsTests
{
    private readonly List<(string What, Exception Error)> _reports = [];

    [Fact]
    public async Task FailedItem_ReportedWithWhatItWas_TheOthersStillRun()
    {
        await using var queue = Queue(2);
        var ran = 0;

        Assert.True(queue.TryEnqueue("Teams: reply", _ => throw new HttpRequestException("connector down")));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(queue.TryEnqueue("slack: click", _ =>
            {
                Interlocked.Increment(ref ran);
                return Task.CompletedTask;
            }));
        }

        await queue.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(10, ran);
        var (what, error) = Assert.Single(_reports);
        Assert.Equal("Teams: reply", what);
        Assert.IsType<HttpRequestException>(error);
    }

    [Fact]
    public async Task NeverMoreThanTheConcurrencyAtOnce()
    {
        await using var queue = Queue(3);
        var running = 0;
        var most = 0;
        for (var i = 0; i < 12; i++)
        {
            queue.TryEnqueue("work", async ct =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(20, ct);
                Interlocked.Decrement(ref running);
            });
        }

        await queue.DrainAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(most, 1, 3);
        Assert.Empty(_reports);
    }

    [Fact]
    public async Task Stop_CancelsWhatRuns_ReportsWhatNeverRan_RefusesNewWork()
    {
        var queue = Queue(1);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        queue.TryEnqueue("long", async ct =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        queue.TryEnqueue("slack: command", _ => Task.CompletedTask);
        queue.TryEnqueue("Teams: welcome", _ => Task.CompletedTask);

        await queue.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(cancelled);
        Assert.False(queue.TryEnqueue("late", _ => Task.CompletedTask));
        Assert.Equal(["slack: command", "Teams: welcome", "late"], _reports.Select(r => r.What));
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public async Task LongWork_StartsAtOnceBesideAFullQueue_ChatWorkStillRuns()
    {
        await using var queue = Queue(1);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var diagnoses = Enumerable.Range(0, 5).Select(i => queue.Start($"diagnosis of INC-{i}", _ => hold.Task)).ToList();
        var replied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Five long runs hold no queue worker: a chat reply queued behind them runs now.
        Assert.True(queue.TryEnqueue("slack: reply", _ =>
        {
            replied.SetResult();
            return Task.CompletedTask;
        }));
        await replied.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, queue.LongRunning.Count);

        hold.SetResult();
        await Task.WhenAll(diagnoses).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(queue.LongRunning);
        Assert.Empty(_reports);
    }

    [Fact]
    public async Task LongWork_FailureReportedWithWhatItWas_TaskEndsWithoutThrowing()
    {
        await using var queue = Queue(1);

        await queue.Start("execution of REQ-1 on INC-1", _ => throw new InvalidOperationException("executor broke")).WaitAsync(TimeSpan.FromSeconds(10));

        var (what, error) = Assert.Single(_reports);
        Assert.Equal(("execution of REQ-1 on INC-1", "executor broke"), (what, error.Message));
    }

    [Fact]
    public async Task Stop_CancelsLongWork_ReportsWorkThatIgnoredItAndWorkStartedAfter()
    {
        var queue = Queue(1);
        var watched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        var watch = queue.Start("recovery watch of sw-access-12", async ct =>
        {
            watched.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });
        var stubborn = new TaskCompletionSource();
        _ = queue.Start("diagnosis of INC-7", _ => stubborn.Task);
        await watched.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await queue.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await queue.Start("alert re-check of INC-8", _ => Task.CompletedTask);
        stubborn.SetResult();

        Assert.True(cancelled);
        Assert.True(watch.IsCompletedSuccessfully);
        Assert.Equal(["diagnosis of INC-7", "alert re-check of INC-8"], _reports.Select(r => r.What));
        Assert.StartsWith("left running", _reports[0].Error.Message, StringComparison.Ordinal);
        Assert.StartsWith("not run", _reports[1].Error.Message, StringComparison.Ordinal);
    }

    private BackgroundJobs Queue(int concurrency) => new(concurrency, (what, ex) =>
    {
        lock (_reports)
        {
            _reports.Add((what, ex));
        }
    });

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
