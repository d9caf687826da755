namespace NetOpsBot.Storage;

/// <summary>Creates a short-lived context for the configured provider; stores stay provider-neutral.</summary>
internal interface IDbContextSource
{
    NetOpsBotDbContext Create();
}
