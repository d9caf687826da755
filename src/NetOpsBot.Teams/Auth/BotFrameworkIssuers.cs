namespace NetOpsBot.Teams.Auth;

/// <summary>Issuers the Bot Framework SDKs accept, by app type (botbuilder ChannelValidation / EmulatorValidation, Agents SDK).</summary>
internal static class BotFrameworkIssuers
{
    /// <summary>Issuer of Bot Framework channel tokens; these carry the serviceurl claim and endorsed keys.</summary>
    public const string Channel = "https://api.botframework.com";

    // The Bot Framework's own tenants: tokens for multi-tenant registrations (and the Emulator) come from here.
    private static readonly string[] BotFrameworkTenants = ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a"];

    public static IReadOnlySet<string> EntraIssuers(TeamsAppType type, string? tenantId)
    {
        var tenants = type == TeamsAppType.MultiTenant
            ? BotFrameworkTenants
            : tenantId is { Length: > 0 } ? [tenantId] : [];
        var issuers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tenants)
        {
            issuers.Add($"https://sts.windows.net/{t}/");
            issuers.Add($"https://login.microsoftonline.com/{t}/v2.0");
        }

        return issuers;
    }
}
