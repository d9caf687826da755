using Microsoft.EntityFrameworkCore;

namespace NetOpsBot.Storage;

/// <summary>The PostgreSQL flavour (several replicas); migrations in <c>Migrations/Postgres</c>.</summary>
internal sealed class PostgresNetOpsBotDbContext(DbContextOptions<PostgresNetOpsBotDbContext> options) : NetOpsBotDbContext(options)
{
    // json (not jsonb) keeps the producer's text exactly (key order included) while still rejecting invalid JSON.
    protected override string? JsonColumnType => "json";
}
