using Microsoft.EntityFrameworkCore;
using NetOpsBot.Core;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Storage;

/// <summary>
/// Timeline appends by group commit (<see cref="GroupCommit{TItem}"/>): with many diagnoses running,
/// their step events share transactions. Each append still takes its incident's next sequence number
/// inside the transaction, so numbering is as strict as one append per transaction. An append for an
/// unknown incident fails alone; any other failure of a batch retries its appends one by one, so one
/// bad append cannot take the others with it. A background batch stops early and commits when a
/// person's write starts waiting, so that write waits for one append, not for a whole batch.
/// </summary>
internal sealed class AppendBatcher
{
    private readonly IDbContextSource _contexts;
    private readonly Func<NetOpsBotDbContext, IncidentId, CancellationToken, Task<long?>> _nextSequence;
    private readonly GroupCommit<Pending> _interactive;
    private readonly GroupCommit<Pending> _background;

    public AppendBatcher(IDbContextSource contexts, Func<NetOpsBotDbContext, IncidentId, CancellationToken, Task<long?>> nextSequence)
    {
        _contexts = contexts;
        _nextSequence = nextSequence;

        // Two queues, so a person's click does not wait in a batch behind a hundred step results.
        _interactive = new GroupCommit<Pending>(batch => WriteAsync(batch, interactive: true), (p, ex) => p.Done.TrySetException(ex));
        _background = new GroupCommit<Pending>(batch => WriteAsync(batch, interactive: false), (p, ex) => p.Done.TrySetException(ex));
    }

    public Task<TimelineEvent> AppendAsync(IncidentId id, TimelineEventDraft draft)
    {
        var pending = new Pending(id, draft);
        (BackgroundWork.IsActive ? _background : _interactive).Enqueue(pending);
        return pending.Done.Task;
    }

    private async Task WriteAsync(IReadOnlyList<Pending> batch, bool interactive)
    {
        if (batch.Count > 1)
        {
            try
            {
                if (await TryWriteTogetherAsync(batch, interactive).ConfigureAwait(false))
                {
                    return;
                }
            }
#pragma warning disable CA1031 // nothing was committed; each append is retried alone below and fails alone
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        foreach (var p in batch)
        {
            try
            {
                await TryWriteTogetherAsync([p], interactive).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the failure goes to this append's waiter only
            catch (Exception ex)
#pragma warning restore CA1031
            {
                p.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>Writes the appends in one transaction; false (nothing written) when the batch must be split.</summary>
    private async Task<bool> TryWriteTogetherAsync(IReadOnlyList<Pending> batch, bool interactive)
    {
        var db = await _contexts.CreateForWriteAsync(CancellationToken.None, interactive).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var tx = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                var rows = new List<(Pending Pending, Entities.TimelineEventRow Row)>();
                var missing = new List<Pending>();
                var deferred = new List<Pending>();
                foreach (var p in batch)
                {
                    // A person is waiting for the write lock: commit what is done and let them in.
                    if (!interactive && rows.Count > 0 && _contexts.InteractiveWriteWaiting)
                    {
                        deferred.Add(p);
                        continue;
                    }

                    if (await _nextSequence(db, p.Id, CancellationToken.None).ConfigureAwait(false) is { } sequence)
                    {
                        var row = RowMapper.ToRow(p.Id, sequence, p.Draft);
                        db.TimelineEvents.Add(row);
                        rows.Add((p, row));
                    }
                    else
                    {
                        missing.Add(p);
                    }
                }

                try
                {
                    await db.SaveChangesAsync().ConfigureAwait(false);
                    await tx.CommitAsync().ConfigureAwait(false);
                }
                catch (DbUpdateException) when (batch.Count > 1)
                {
                    await tx.RollbackAsync().ConfigureAwait(false);
                    return false;
                }

                foreach (var p in missing)
                {
                    p.Done.TrySetException(new KeyNotFoundException($"incident {p.Id} does not exist"));
                }

                foreach (var (p, row) in rows)
                {
                    p.Done.TrySetResult(RowMapper.ToEvent(row));
                }

                foreach (var p in deferred)
                {
                    _background.Enqueue(p);
                }

                return true;
            }
        }
    }

    private sealed record Pending(IncidentId Id, TimelineEventDraft Draft)
    {
        public TaskCompletionSource<TimelineEvent> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
