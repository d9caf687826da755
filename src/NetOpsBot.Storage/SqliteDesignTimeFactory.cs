using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NetOpsBot.Storage;

/// <summary>Used only by <c>dotnet ef migrations add</c>; no database is contacted.</summary>
[SuppressMessage("Performance", "CA1812", Justification = "Instantiated by the EF Core design-time tools via reflection.")]
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNetOpsBotDbContext>
{
    public SqliteNetOpsBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNetOpsBotDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
