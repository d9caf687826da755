namespace NetOpsBot.Storage.Tests;

public sealed class WriteGateTests
{
    [Fact]
    public async Task EnterAsync_PersonWaitingBehindQueuedBackgroundWrites_GoesNext()
    {
        var gate = WriteGate.ForSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "gate-" + Guid.NewGuid().ToString("N") + ".db")}");
        var order = new List<string>();
        var first = await gate.EnterAsync(CancellationToken.None, interactive: false);

        var background = Enumerable.Range(0, 5).Select(i => Take(gate, $"background-{i}", interactive: false, order)).ToList();
        var person = Take(gate, "person", interactive: true, order);
        first.Dispose();
        await Task.WhenAll([.. background, person]);

        Assert.Equal("person", order[0]);
        Assert.Equal(6, order.Count);
    }

    [Fact]
    public async Task EnterAsync_CancelledWaiter_IsSkippedAndTheNextOneGetsTheTurn()
    {
        var gate = WriteGate.ForSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "gate-" + Guid.NewGuid().ToString("N") + ".db")}");
        var order = new List<string>();
        var first = await gate.EnterAsync(CancellationToken.None, interactive: false);
        using var cancel = new CancellationTokenSource();

        var gaveUp = gate.EnterAsync(cancel.Token, interactive: true).AsTask();
        var next = Take(gate, "next", interactive: false, order);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        first.Dispose();
        await next.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["next"], order);
    }

    private static async Task Take(WriteGate gate, string name, bool interactive, List<string> order)
    {
        using var turn = await gate.EnterAsync(CancellationToken.None, interactive);
        lock (order)
        {
            order.Add(name);
        }
    }
}
