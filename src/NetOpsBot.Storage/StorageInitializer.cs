using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NetOpsBot.Storage;

/// <summary>Runs the provider's migration set.</summary>
internal sealed class StorageInitializer(IDbContextSource contexts, StorageOptions options) : IStorageInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (options.Provider == StorageProvider.Sqlite)
        {
            // SQLite creates the file but not its folder; the embedded default lives in ./data.
            var file = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder) && file != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }
        }

        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            if (options.Provider == StorageProvider.Sqlite)
            {
                // WAL lets readers (cards, timeline pages) proceed while an appender writes; it is persistent.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        var db = contexts.Create();
        await using (db.ConfigureAwait(false))
        {
            return await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
