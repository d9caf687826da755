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
                OwnerOnly(file);
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

    /// <summary>
    /// The database holds incident timelines and approvals: readable by the bot's user only, whatever the umask.
    /// An empty file made here with mode 0600 is a valid empty SQLite database; SQLite then gives its -wal and
    /// -shm files the database file's mode. Files left by an older version are tightened too.
    /// </summary>
    internal static void OwnerOnly(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = owner });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another replica created it first; the chmod below still applies.
            }
        }

        foreach (var f in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(f) && (File.GetUnixFileMode(f) & ~owner) != 0)
            {
                File.SetUnixFileMode(f, owner);
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
