using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NetOpsBot.Core;

namespace NetOpsBot.Storage;

/// <summary>
/// Turns for writers of one database inside this process. SQLite has one writer at a time and makes the
/// others poll (busy_timeout) on blocked thread-pool threads; measured under 50 chat users with 100
/// diagnoses running, a chat command's incident insert then waited ~0.5 s behind timeline appends.
/// Here waiting is asynchronous, and a person's write (no <see cref="BackgroundWork"/> mark) goes before
/// every queued background write, so it waits for at most the one write in progress. PostgreSQL locks
/// rows, not the database, and gets no gate. Other processes on one SQLite file still meet SQLite's lock.
/// </summary>
internal sealed class WriteGate
{
    private static readonly ConcurrentDictionary<string, Turns> PerDatabase = new(StringComparer.Ordinal);
    private readonly Turns? _turns;

    private WriteGate(Turns? turns) => _turns = turns;

    /// <summary>No gate: the database handles concurrent writers itself.</summary>
    public static WriteGate None { get; } = new(null);

    /// <summary>One gate per SQLite file, shared by every service provider in the process (replicas in tests).</summary>
    public static WriteGate ForSqlite(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var key = file is ":memory:" or "" ? connectionString : Path.GetFullPath(file);
        return new WriteGate(PerDatabase.GetOrAdd(key, _ => new Turns()));
    }

    /// <summary>True while a person's write waits for its turn: background batches commit early then.</summary>
    public bool InteractiveWaiting => _turns?.InteractiveWaiting ?? false;

    public ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken, bool? interactive = null) =>
        _turns is null ? ValueTask.FromResult<IDisposable>(Turn.Empty) : _turns.EnterAsync(interactive ?? !BackgroundWork.IsActive, cancellationToken);

    /// <summary>A lock with two FIFO queues: interactive waiters are served before background ones.</summary>
    private sealed class Turns
    {
        private readonly Lock _sync = new();
        private readonly Queue<TaskCompletionSource> _interactive = new();
        private readonly Queue<TaskCompletionSource> _background = new();
        private bool _held;

        public bool InteractiveWaiting
        {
            get
            {
                lock (_sync)
                {
                    return _interactive.Any(w => !w.Task.IsCompleted);
                }
            }
        }

        public async ValueTask<IDisposable> EnterAsync(bool interactive, CancellationToken cancellationToken)
        {
            TaskCompletionSource waiter;
            lock (_sync)
            {
                if (!_held)
                {
                    _held = true;
                    return new Turn(this);
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (interactive ? _interactive : _background).Enqueue(waiter);
            }

            // A cancelled waiter stays queued as cancelled; Release skips it.
            using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
            {
                await waiter.Task.ConfigureAwait(false);
            }

            return new Turn(this);
        }

        public void Release()
        {
            lock (_sync)
            {
                while (_interactive.TryDequeue(out var next) || _background.TryDequeue(out next))
                {
                    // The turn passes directly to the next waiter; _held stays true.
                    if (next.TrySetResult())
                    {
                        return;
                    }
                }

                _held = false;
            }
        }
    }

    private sealed class Turn(Turns? turns) : IDisposable
    {
        public static Turn Empty { get; } = new(null);

        private int _released;

        public void Dispose()
        {
            if (turns is not null && Interlocked.Exchange(ref _released, 1) == 0)
            {
                turns.Release();
            }
        }
    }
}
