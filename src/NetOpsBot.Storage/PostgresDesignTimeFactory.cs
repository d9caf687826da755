using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NetOpsBot.Storage;

/// <summary>Used only by <c>dotnet ef migrations add</c>; no database is contacted.</summary>
[SuppressMessage("Performance", "CA1812", Justification = "Instantiated by the EF Core design-time tools via reflection.")]
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNetOpsBotDbContext>
{
    public PostgresNetOpsBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNetOpsBotDbContext>().UseNpgsql("Host=localhost;Database=netopsbot_design").Options);
}
