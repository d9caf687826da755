using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace NetOpsBot.Storage;

/// <summary>Recognizes constraint violations of both providers, which the stores turn into outcomes.</summary>
internal static class DbErrors
{
    // SQLite extended result codes: SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_FOREIGNKEY.
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;
    private const int SqliteForeignKey = 787;

    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException lite => lite.SqliteExtendedErrorCode is SqlitePrimaryKey or SqliteUnique,
        _ => false,
    };

    public static bool IsForeignKeyViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException lite => lite.SqliteExtendedErrorCode == SqliteForeignKey,
        _ => false,
    };
}
