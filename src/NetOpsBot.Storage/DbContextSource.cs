using Microsoft.EntityFrameworkCore;

namespace NetOpsBot.Storage;

/// <summary>Adapts EF's factory for one provider's context type.</summary>
internal sealed class DbContextSource<TContext>(IDbContextFactory<TContext> factory) : IDbContextSource
    where TContext : NetOpsBotDbContext
{
    public NetOpsBotDbContext Create() => factory.CreateDbContext();
}
