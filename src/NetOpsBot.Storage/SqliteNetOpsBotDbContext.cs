using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace NetOpsBot.Storage;

/// <summary>The SQLite flavour (embedded default); migrations in <c>Migrations/Sqlite</c>.</summary>
internal sealed class SqliteNetOpsBotDbContext(DbContextOptions<SqliteNetOpsBotDbContext> options) : NetOpsBotDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type and EF cannot ORDER BY or compare a DateTimeOffset stored as text,
        // so instants are stored as UTC ticks (INTEGER): sortable, comparable, exact.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUtcTicksConverter>();
    }
}
