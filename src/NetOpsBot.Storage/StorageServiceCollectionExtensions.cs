using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using Npgsql;

namespace NetOpsBot.Storage;

/// <summary>Registers the stores for the configured database.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IIncidentStore"/>, <see cref="IRemediationRequestStore"/>,
    /// <see cref="IRemediationAuditLog"/>, <see cref="IConversationStore"/> and <see cref="IStorageInitializer"/>
    /// (singletons; each call opens a short-lived context). Uses the registered <see cref="TimeProvider"/>,
    /// or the system clock when none is.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad key.</exception>
    public static IServiceCollection AddNetOpsBotStorage(this IServiceCollection services, StorageOptions options) =>
        AddNetOpsBotStorage(services, options, postgresPassword: null);

    /// <summary>
    /// The same; with <see cref="StorageOptions.PostgresEntraAuth"/>, <paramref name="postgresPassword"/> supplies
    /// the password of every new PostgreSQL connection (an Entra access token), asked again every few minutes.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid, or Entra auth is on without a password source.</exception>
    public static IServiceCollection AddNetOpsBotStorage(this IServiceCollection services, StorageOptions options, Func<CancellationToken, ValueTask<string>>? postgresPassword)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid storage options: " + string.Join("; ", errors), nameof(options));
        }

        // A private copy: later changes to the caller's object must not switch databases under us.
        if (options.PostgresEntraAuth && postgresPassword is null)
        {
            throw new ArgumentException($"Invalid storage options: {StorageOptions.SectionName}:PostgresEntraAuth is true but the host gave no token source", nameof(postgresPassword));
        }

        var frozen = new StorageOptions { Provider = options.Provider, ConnectionString = options.ConnectionString, PostgresEntraAuth = options.PostgresEntraAuth };
        services.AddSingleton(frozen);
        services.TryAddSingleton(TimeProvider.System);

        switch (frozen.Provider)
        {
            case StorageProvider.Sqlite:
                services.AddDbContextFactory<SqliteNetOpsBotDbContext>(o =>
                    o.UseSqlite(frozen.ConnectionString).AddInterceptors(new SqliteBusyTimeoutInterceptor()));
                services.AddSingleton<IDbContextSource>(sp => new DbContextSource<SqliteNetOpsBotDbContext>(
                    sp.GetRequiredService<IDbContextFactory<SqliteNetOpsBotDbContext>>(), WriteGate.ForSqlite(frozen.ConnectionString)));
                break;
            case StorageProvider.Postgres:
                if (frozen.PostgresEntraAuth)
                {
                    // Tokens live about an hour; Azure.Identity caches them, so asking every 5 minutes is cheap
                    // and a new connection never gets an expired one.
                    var source = new NpgsqlDataSourceBuilder(frozen.ConnectionString)
                        .UsePeriodicPasswordProvider((_, ct) => postgresPassword!(ct), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10))
                        .Build();
                    services.AddSingleton(source);
                    services.AddDbContextFactory<PostgresNetOpsBotDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
                }
                else
                {
                    services.AddDbContextFactory<PostgresNetOpsBotDbContext>(o => o.UseNpgsql(frozen.ConnectionString));
                }

                services.AddSingleton<IDbContextSource>(sp => new DbContextSource<PostgresNetOpsBotDbContext>(
                    sp.GetRequiredService<IDbContextFactory<PostgresNetOpsBotDbContext>>(), WriteGate.None));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), frozen.Provider, "unknown storage provider");
        }

        services.AddSingleton<IIncidentStore, EfIncidentStore>();
        services.AddSingleton<IRemediationRequestStore, EfRemediationRequestStore>();
        services.AddSingleton<IRemediationAuditLog, EfRemediationAuditLog>();
        services.AddSingleton<IConversationStore, EfConversationStore>();
        services.AddSingleton<IAlertLinkStore, EfAlertLinkStore>();
        services.AddSingleton<IStorageInitializer, StorageInitializer>();
        return services;
    }
}
