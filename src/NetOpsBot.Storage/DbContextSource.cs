using Microsoft.EntityFrameworkCore;

namespace NetOpsBot.Storage;

/// <summary>Adapts EF's factory for one provider's context type.</summary>
internal sealed class DbContextSource<TContext>(IDbContextFactory<TContext> factory, WriteGate gate) : IDbContextSource
    where TContext : NetOpsBotDbContext
{
    public NetOpsBotDbContext Create() => factory.CreateDbContext();

    public bool InteractiveWriteWaiting => gate.InteractiveWaiting;

    public async ValueTask<NetOpsBotDbContext> CreateForWriteAsync(CancellationToken cancellationToken, bool? interactive = null)
    {
        var turn = await gate.EnterAsync(cancellationToken, interactive).ConfigureAwait(false);
        try
        {
            var db = factory.CreateDbContext();
            db.WriteTurn = turn;
            return db;
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }
}
