using System.ComponentModel.DataAnnotations;

namespace NetOpsBot.Host;

/// <summary>
/// The Host's part of the `NetOps` section (appsettings.sample.json documents each key); the libraries bind theirs
/// (NetOps:Diagnosis in AddNetOpsPlatforms, the device files in AddNetOpsSsh, ...).
/// </summary>
internal sealed class NetOpsOptions
{
    public const string Section = "NetOps";

    [Required]
    public WebChatSettings WebChat { get; set; } = new();

    [Required]
    public LimitSettings Limits { get; set; } = new();

    /// <summary>Users (platform:userId) allowed to run diagnostics; empty means everyone in the channel.</summary>
    public List<string> DiagnoseAllowList { get; set; } = [];
}

internal sealed class WebChatSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// None: demo users picked in the page, no login; allowed only in Development on a loopback-only host (or with
    /// <see cref="AllowDemoUsersOnContainerNetwork"/>). OpenIdConnect: sign-in; the acting user is the signed-in subject.
    /// </summary>
    public string Authentication { get; set; } = WebChatAuthentication.None;

    /// <summary>
    /// Compose demo only: a container cannot listen on loopback alone, so this lets demo users through on the
    /// container network. Valid only with Development; announced as a warning at start-up.
    /// </summary>
    public bool AllowDemoUsersOnContainerNetwork { get; set; }

    /// <summary>The host name people type to reach the web chat (its Host header); the default allowed host.</summary>
    public string? PublicHostName { get; set; }

    /// <summary>Host header values the web chat answers; empty = PublicHostName, plus localhost/127.0.0.1/[::1] in Development.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Open live-update streams (server-sent events) over all users.</summary>
    [Range(1, 100_000)]
    public int MaxStreamClients { get; set; } = 200;

    /// <summary>Open live-update streams of one user (signed-in subject, or caller address for demo users).</summary>
    [Range(1, 1000)]
    public int MaxStreamClientsPerUser { get; set; } = 10;

    /// <summary>The demo users of the local web chat; the page lets you act as any of them.</summary>
    public List<string> Users { get; set; } = ["alice", "bob", "carol"];

    [Required]
    public WebChatOpenIdConnectSettings OpenIdConnect { get; set; } = new();
}

internal static class WebChatAuthentication
{
    public const string None = "None";
    public const string OpenIdConnect = "OpenIdConnect";
}

/// <summary>Sign-in for the web chat through any OpenID Connect provider (Entra ID, Keycloak, ...); authorization code flow.</summary>
internal sealed class WebChatOpenIdConnectSettings
{
    /// <summary>Issuer URL; its /.well-known/openid-configuration is read at start.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Keep out of files: NetOps__WebChat__OpenIdConnect__ClientSecret or Key Vault.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for beside openid and profile (e.g. groups, when the provider needs a scope for that claim).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>A claim (e.g. groups, roles) whose value <see cref="ApproverClaimValue"/> makes the signed-in user an approver.</summary>
    public string? ApproverClaim { get; set; }

    public string? ApproverClaimValue { get; set; }

    /// <summary>Leave true. Only a test provider on loopback over plain http needs false.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

internal sealed class LimitSettings
{
    [Range(1, 1000)]
    public int PerUserBurst { get; set; } = 5;

    [Range(0.1, 3600)]
    public double PerUserRefillSeconds { get; set; } = 10;

    [Range(1, 10000)]
    public int PerChannelBurst { get; set; } = 30;

    [Range(0.1, 3600)]
    public double PerChannelRefillSeconds { get; set; } = 2;

    /// <summary>Largest request body the host accepts on any endpoint (Kestrel's limit too); larger ones get 413.</summary>
    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>`NetOps:Incidents`.</summary>
internal sealed class IncidentSettings
{
    public const string SectionName = "NetOps:Incidents";

    /// <summary>The lease a host holds on the work it runs; another replica calls the work interrupted only after it expired.</summary>
    [Range(1, 600)]
    public double LeaseSeconds { get; set; } = 30;
}

/// <summary>`NetOps:Remediation`: the recovery watch after a fix or a reboot.</summary>
internal sealed class RemediationSettings
{
    public const string SectionName = "NetOps:Remediation";

    /// <summary>Unset: 15 min, stretched per device by its expected boot time; set: exactly that, for every device.</summary>
    [Range(1, 86_400)]
    public double? RecoveryDeadlineSeconds { get; set; }

    [Range(0.05, 60)]
    public double ProbeIntervalSeconds { get; set; } = 1;

    /// <summary>How often the thread says "still down after 2 min" during a reboot.</summary>
    [Range(1, 3600)]
    public double ProgressIntervalSeconds { get; set; } = 120;
}
