namespace NetOpsBot.Teams;

/// <summary>How the bot's Entra identity is registered (Azure Bot resource "type of app").</summary>
public enum TeamsAppType
{
    /// <summary>App registration in our tenant (required for new bots).</summary>
    SingleTenant,

    /// <summary>A user-assigned managed identity is the bot's identity; its client id is the app id.</summary>
    UserAssignedMSI,

    /// <summary>Only for registrations made before multi-tenant creation ended (31 July 2025).</summary>
    MultiTenant,
}

/// <summary>
/// The Teams surface, bound by the host from <see cref="SectionName"/>. No section: no <c>/api/messages</c>.
/// A section that is there must be complete; <see cref="Validate"/> names every missing or bad key.
/// </summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>Where the Bot Framework channel service publishes its signing keys (public cloud).</summary>
    public const string BotFrameworkMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Entra ID signing keys, for tokens Entra issues to the bot's own tenant (single tenant, MSI).</summary>
    public const string EntraMetadataUrl = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>The bot's Microsoft App ID (a GUID; for UserAssignedMSI the identity's client id).</summary>
    public string? AppId { get; set; }

    /// <summary><c>SingleTenant</c>, <c>UserAssignedMSI</c> or <c>MultiTenant</c>.</summary>
    public string? AppType { get; set; }

    /// <summary>The bot's home tenant (required for SingleTenant and UserAssignedMSI).</summary>
    public string? TenantId { get; set; }

    /// <summary>Client secret of the app registration (one credential only; prefer a certificate or managed identity).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>PEM or PFX file with the app registration's certificate and private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/> when it is a protected PFX.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Federated identity credential: the client id of a user-assigned managed identity whose token the app
    /// registration trusts (no secret anywhere).
    /// </summary>
    public string? FederatedManagedIdentityClientId { get; set; }

    /// <summary>
    /// Entra authority host the bot's credential asks for its tokens (Azure.Identity's
    /// <c>TokenCredentialOptions.AuthorityHost</c>): https://login.microsoftonline.com/ (public cloud, the default),
    /// https://login.microsoftonline.us/, https://login.chinacloudapi.cn/, or a private authority (Azure Stack; tests
    /// point it at a local token endpoint). For a host that is none of those three, Entra instance discovery is
    /// skipped (it would ask the public cloud about a host it does not know). Always https.
    /// </summary>
    /// <value>Default: null (the public cloud).</value>
    public string? AuthorityHost { get; set; }

    /// <summary>OpenID metadata of the Bot Framework token service (tests point it at a local issuer).</summary>
    /// <value>Default: <see cref="BotFrameworkMetadataUrl"/>.</value>
    public string OpenIdMetadataUrl { get; set; } = BotFrameworkMetadataUrl;

    /// <summary>OpenID metadata for Entra-issued tokens.</summary>
    /// <value>Default: <see cref="EntraMetadataUrl"/>.</value>
    public string EntraOpenIdMetadataUrl { get; set; } = EntraMetadataUrl;

    /// <summary>
    /// Local testing with the Microsoft 365 Agents Playground only: accept activities that carry no token, but
    /// only from a loopback address with a loopback serviceUrl. The host says so loudly at start-up and on /healthz.
    /// </summary>
    /// <value>Default: false.</value>
    public bool AllowUnauthenticatedLoopback { get; set; }

    /// <summary>
    /// Entra group whose members (transitively) may approve, asked through Microsoft Graph beside the ids in
    /// <c>NetOps:Approvals:Approvers:teams</c>.
    /// </summary>
    public string? ApproverGroupId { get; set; }

    /// <summary>Microsoft Graph root (tests point it at a local server).</summary>
    /// <value>Default: https://graph.microsoft.com.</value>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com";

    /// <summary>How long a read of the approver group's members is trusted.</summary>
    /// <value>Default: 300 seconds.</value>
    public int ApproverGroupCacheSeconds { get; set; } = 300;

    /// <summary>Shortest time between two updates of one incident's card (Teams allows about 7 sends per second per conversation).</summary>
    /// <value>Default: 1 second.</value>
    public double CardUpdateIntervalSeconds { get; set; } = 1.0;

    /// <summary>Retries of a connector call refused with 429, 412 or 5xx.</summary>
    /// <value>Default: 3.</value>
    public int ConnectorRetries { get; set; } = 3;

    /// <summary>First backoff of a connector retry (exponential with jitter; a Retry-After header wins).</summary>
    /// <value>Default: 2 seconds.</value>
    public double ConnectorRetryDelaySeconds { get; set; } = 2.0;

    /// <summary>
    /// Where activities authenticated with an Entra token may point the bot's replies: serviceUrl prefixes
    /// (scheme, host, port and path prefix). A token Entra issued for this app proves who called, not that
    /// the serviceUrl is Teams, so any other serviceUrl is refused with 401. Channel tokens carry their own
    /// serviceurl claim and are checked against it instead. Operators of Teams in China (21Vianet) or another
    /// sovereign cloud add its connector URL here.
    /// </summary>
    /// <value>Default: empty, meaning <see cref="DefaultServiceUrls"/> (the public, GCC, GCC High and DoD Teams connectors).</value>
    public List<string> ServiceUrlAllowList { get; set; } = [];

    /// <summary>The Teams connector service URLs of the public cloud and the US government clouds.</summary>
    public static readonly IReadOnlyList<string> DefaultServiceUrls =
    [
        "https://smba.trafficmanager.net/",
        "https://smba.infra.gcc.teams.microsoft.com/",
        "https://smba.infra.gov.teams.microsoft.us/",
        "https://smba.infra.dod.teams.microsoft.us/",
    ];

    /// <summary>
    /// Put approve and reject buttons on the card everyone sees, for clients that do not run Universal
    /// Actions refresh (the Agents Playground). Clicks are still checked against the approver group.
    /// </summary>
    /// <value>Default: false (approvers get them through <c>refresh.userIds</c>).</value>
    public bool ApproveButtonsForEveryone { get; set; }

    /// <summary>The app type, once <see cref="Validate"/> found no problem.</summary>
    public TeamsAppType ParsedAppType => Enum.TryParse<TeamsAppType>(AppType, ignoreCase: true, out var t) ? t : TeamsAppType.SingleTenant;

    /// <summary>True when only the Playground switch is set: no app id, no credential, nothing but loopback.</summary>
    public bool PlaygroundOnly => AllowUnauthenticatedLoopback && IdentityKeys().All(k => string.IsNullOrWhiteSpace(k.Value));

    /// <summary>The keys that give the bot a real identity; any of them rules the Playground switch out.</summary>
    private (string Key, string? Value)[] IdentityKeys() =>
    [
        ("AppId", AppId), ("AppType", AppType), ("TenantId", TenantId), ("ClientSecret", ClientSecret),
        ("CertificatePath", CertificatePath), ("CertificatePassword", CertificatePassword), ("FederatedManagedIdentityClientId", FederatedManagedIdentityClientId),
    ];

    /// <summary>Problems that must stop start-up, each naming its key; empty when the section is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string s = SectionName + ":";
        if (AllowUnauthenticatedLoopback)
        {
            // A bot with a real identity is reachable by Teams, so a tokenless door next to it is a bypass (a plain
            // TCP relay on the host makes any caller "loopback"). The switch is only for an identity-less Playground bot.
            foreach (var (key, value) in IdentityKeys())
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    errors.Add($"{s}AllowUnauthenticatedLoopback must be false when {s}{key} is set (tokenless activities are for a Playground bot with no identity, never next to a real one)");
                }
            }
        }
        else
        {
            ValidateIdentity(errors, s);
        }

        if (!IsHttpsOrLoopback(OpenIdMetadataUrl))
        {
            errors.Add($"{s}OpenIdMetadataUrl must be an https URL (http only on loopback, for tests)");
        }

        if (!IsHttpsOrLoopback(EntraOpenIdMetadataUrl))
        {
            errors.Add($"{s}EntraOpenIdMetadataUrl must be an https URL (http only on loopback, for tests)");
        }

        if (!string.IsNullOrWhiteSpace(AuthorityHost)
            && (!Uri.TryCreate(AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{s}AuthorityHost must be an https URL (Azure.Identity refuses any other; empty means the public cloud)");
        }

        if (!IsHttpsOrLoopback(GraphBaseUrl))
        {
            errors.Add($"{s}GraphBaseUrl must be an https URL (http only on loopback, for tests)");
        }

        if (ServiceUrlAllowList?.Any(u => !IsHttpsOrLoopback(u)) == true)
        {
            errors.Add($"{s}ServiceUrlAllowList must list https URLs (http only on loopback, for tests)");
        }

        if (ApproverGroupId is { Length: > 0 } group && !Guid.TryParse(group, out _))
        {
            errors.Add($"{s}ApproverGroupId must be the group's object id (a GUID)");
        }

        if (ApproverGroupCacheSeconds is < 1 or > 86_400)
        {
            errors.Add($"{s}ApproverGroupCacheSeconds must be between 1 and 86400");
        }

        if (CardUpdateIntervalSeconds is < 0.15 or > 60)
        {
            errors.Add($"{s}CardUpdateIntervalSeconds must be between 0.15 and 60 (Teams allows about 7 sends per second per conversation)");
        }

        // Polly's retry strategy refuses MaxRetryAttempts below 1 when the connector's pipeline is built, which
        // happens while the host warms up: 0 used to pass here and stop the host with Polly's message, naming no key.
        if (ConnectorRetries is < 1 or > 10)
        {
            errors.Add($"{s}ConnectorRetries must be between 1 and 10");
        }

        if (ConnectorRetryDelaySeconds is < 0.01 or > 60)
        {
            errors.Add($"{s}ConnectorRetryDelaySeconds must be between 0.01 and 60");
        }

        return errors;
    }

    private void ValidateIdentity(List<string> errors, string s)
    {
        if (string.IsNullOrWhiteSpace(AppId))
        {
            errors.Add($"{s}AppId is required (the bot's Microsoft App ID)");
        }
        else if (!Guid.TryParse(AppId, out _))
        {
            errors.Add($"{s}AppId must be a GUID (the bot's Microsoft App ID)");
        }

        if (string.IsNullOrWhiteSpace(AppType))
        {
            errors.Add($"{s}AppType is required: SingleTenant, UserAssignedMSI or MultiTenant");
            return;
        }

        if (!Enum.TryParse<TeamsAppType>(AppType, ignoreCase: true, out var type) || int.TryParse(AppType, out _))
        {
            errors.Add($"{s}AppType must be SingleTenant, UserAssignedMSI or MultiTenant, not '{AppType}'");
            return;
        }

        if (type != TeamsAppType.MultiTenant && !Guid.TryParse(TenantId, out _))
        {
            errors.Add($"{s}TenantId is required for {type} (the bot's home tenant id, a GUID)");
        }

        var credentials = new[] { ClientSecret, CertificatePath, FederatedManagedIdentityClientId }.Count(v => !string.IsNullOrWhiteSpace(v));
        switch (type)
        {
            case TeamsAppType.UserAssignedMSI when credentials > 0:
                errors.Add($"{s}ClientSecret, {s}CertificatePath and {s}FederatedManagedIdentityClientId must be empty for UserAssignedMSI (the managed identity {s}AppId is the credential)");
                break;
            case TeamsAppType.SingleTenant or TeamsAppType.MultiTenant when credentials == 0:
                errors.Add($"{s}ClientSecret, {s}CertificatePath or {s}FederatedManagedIdentityClientId is required for {type}");
                break;
            case TeamsAppType.SingleTenant or TeamsAppType.MultiTenant when credentials > 1:
                errors.Add($"{s}ClientSecret, {s}CertificatePath and {s}FederatedManagedIdentityClientId: set exactly one");
                break;
            default:
                break;
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            errors.Add($"{s}CertificatePath names a file that does not exist");
        }

        if (type == TeamsAppType.MultiTenant && !string.IsNullOrWhiteSpace(FederatedManagedIdentityClientId))
        {
            errors.Add($"{s}FederatedManagedIdentityClientId needs SingleTenant (a federated credential lives in the bot's own tenant)");
        }

        if (!string.IsNullOrWhiteSpace(FederatedManagedIdentityClientId) && !Guid.TryParse(FederatedManagedIdentityClientId, out _))
        {
            errors.Add($"{s}FederatedManagedIdentityClientId must be a GUID");
        }
    }

    /// <summary>True when <paramref name="serviceUrl"/> has the scheme, host and port of an allow-list entry and starts with its path.</summary>
    public bool ServiceUrlAllowed(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url) || !string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        // A configured list replaces the defaults (the configuration binder would append to a pre-filled list).
        foreach (var entry in ServiceUrlAllowList is { Count: > 0 } configured ? configured : DefaultServiceUrls)
        {
            if (Uri.TryCreate(entry, UriKind.Absolute, out var allowed)
                && url.Scheme == allowed.Scheme
                && string.Equals(url.IdnHost, allowed.IdnHost, StringComparison.OrdinalIgnoreCase)
                && url.Port == allowed.Port
                && url.AbsolutePath.StartsWith(allowed.AbsolutePath.EndsWith('/') ? allowed.AbsolutePath : allowed.AbsolutePath + "/", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsHttpsOrLoopback(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u)
        && (u.Scheme == Uri.UriSchemeHttps || (u.Scheme == Uri.UriSchemeHttp && u.IsLoopback));
}
