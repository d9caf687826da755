using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NetOpsBot.Storage;

/// <summary>
/// Sets SQLite's own busy handler on every connection. Without it Microsoft.Data.Sqlite retries a locked
/// database in coarse sleeps, which makes concurrent appenders (one writer at a time) needlessly slow.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    // synchronous=NORMAL is SQLite's recommended setting with WAL: a commit no longer waits for an
    // fsync, so hundreds of timeline appends per second do not queue the chat's requests behind the
    // disk. A process crash loses nothing; only an OS crash or power cut can drop the last commits.
    private const string Pragma = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
