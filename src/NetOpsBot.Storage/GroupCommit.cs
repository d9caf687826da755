namespace NetOpsBot.Storage;

/// <summary>
/// Group commit: requests that arrive while one batch is being written go together into the next
/// transaction. SQLite has one writer, and under a busy channel (measured: 50 chat users, 100 diagnoses
/// appending step results) one transaction per request spent more time handing the write lock around
/// and committing than writing. A batch's failure reaches every waiter of that batch only.
/// </summary>
internal sealed class GroupCommit<TItem>(Func<IReadOnlyList<TItem>, Task> write, Action<TItem, Exception> fail, int maxBatch = 64)
{
    private readonly Lock _sync = new();
    private readonly List<TItem> _queue = [];
    private bool _running;

    public void Enqueue(TItem item)
    {
        lock (_sync)
        {
            _queue.Add(item);
            if (_running)
            {
                return;
            }

            _running = true;
        }

        // Not tied to one caller: a caller that gives up must not cancel the others' batch.
        _ = Task.Run(DrainAsync, CancellationToken.None);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<TItem> batch;
            lock (_sync)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }

                batch = _queue.GetRange(0, Math.Min(maxBatch, _queue.Count));
                _queue.RemoveRange(0, batch.Count);
            }

            try
            {
                await write(batch).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // every waiter gets the failure; the loop must go on for the next batch
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var item in batch)
                {
                    fail(item, ex);
                }
            }
        }
    }
}
