namespace NetOpsBot.Slack;

/// <summary>
/// The Slack app the bot speaks as. Bound by the Host from <see cref="SectionName"/>; with no such section
/// Slack is off. <see cref="Validate"/> names every bad key so the Host stops at start-up instead of
/// running with a check quietly disabled.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The app's signing secret (Basic Information). Required: without it no request could be trusted.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// The workspace the bot serves (<c>T…</c>, Slack's <c>team_id</c>), or for an org-wide install on Enterprise
    /// Grid the organization (<c>E…</c>, <c>enterprise_id</c>). Required: a request from anywhere else gets 401.
    /// </summary>
    public string? TeamId { get; set; }

    /// <summary>The app's id (<c>A…</c>, Basic Information > App ID). Required: a request for another app gets 401.</summary>
    public string? AppId { get; set; }

    /// <summary>Bot token (<c>xoxb-…</c>) for the Web API.</summary>
    public string? BotToken { get; set; }

    /// <summary>App-level token (<c>xapp-…</c>, scope <c>connections:write</c>); required in Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>Web API base. <value>Default: https://slack.com/api/ (tests point it at a local fake).</value></summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary><value>Default: Http.</value></summary>
    public SlackMode Mode { get; set; } = SlackMode.Http;

    /// <summary>Slack user ids (<c>U…</c>/<c>W…</c>) who may approve, in addition to <c>NetOps:Approvals:Approvers:slack</c>.</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>A Slack user group id (<c>S…</c>) whose members may approve; read with <c>usergroups.users.list</c>.</summary>
    public string? ApproverUserGroup { get; set; }

    /// <summary>How long user-group membership is cached (the method allows about 20 calls a minute). <value>Default: 60 s.</value></summary>
    public int ApproverGroupCacheSeconds { get; set; } = 60;

    /// <summary>How far a request's timestamp may be from now, either direction. <value>Default: 300 s (Slack's documented window).</value></summary>
    public int SignatureWindowSeconds { get; set; } = 300;

    /// <summary>Shortest time between two updates of one card (Slack allows about one message a second per channel). <value>Default: 1000 ms.</value></summary>
    public int CardUpdateIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Work items (commands, clicks after their acknowledgement) that may run at once in the background queue Slack shares
    /// with the other surfaces; it runs at least 16 whatever this says. <value>Default: 4.</value>
    /// </summary>
    public int Workers { get; set; } = 4;

    /// <summary>
    /// A command acknowledged this long ago whose work has not finished is run again by any replica (its
    /// host stopped, or the queue was full). <value>Default: 90 s.</value>
    /// </summary>
    public int ResumeAfterSeconds { get; set; } = 90;

    /// <summary>Problems that must stop start-up, each naming the key; empty when usable. Never includes a secret's value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(SigningSecret))
        {
            errors.Add($"{SectionName}:SigningSecret is required (Slack app > Basic Information > Signing Secret); requests are never accepted unsigned.");
        }

        if (TeamId is not { Length: > 1 } team || team[0] is not ('T' or 'E') || !team.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add($"{SectionName}:TeamId is required: the workspace id (T…) the bot serves, or the Enterprise Grid organization id (E…) of an org-wide install; requests from anywhere else are refused.");
        }

        if (AppId is not { Length: > 1 } app || app[0] != 'A' || !app.All(char.IsAsciiLetterOrDigit))
        {
            errors.Add($"{SectionName}:AppId is required: the Slack app's id (A…, Basic Information > App ID); requests for another app are refused.");
        }

        if (string.IsNullOrWhiteSpace(BotToken) || !BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            errors.Add($"{SectionName}:BotToken must be a bot token (xoxb-…).");
        }

        if (Mode == SlackMode.SocketMode && (string.IsNullOrWhiteSpace(AppToken) || !AppToken.StartsWith("xapp-", StringComparison.Ordinal)))
        {
            errors.Add($"{SectionName}:AppToken must be an app-level token (xapp-…) with connections:write when {SectionName}:Mode is SocketMode.");
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{SectionName}:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (Approvers.Any(a => string.IsNullOrWhiteSpace(a) || !a.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add($"{SectionName}:Approvers must list Slack user ids (letters and digits, e.g. U012ABCDEF).");
        }

        if (ApproverUserGroup is { Length: > 0 } g && (!g.StartsWith('S') || !g.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add($"{SectionName}:ApproverUserGroup must be a user group id (S…), not its @handle.");
        }

        if (ApproverGroupCacheSeconds is < 1 or > 3600)
        {
            errors.Add($"{SectionName}:ApproverGroupCacheSeconds must be between 1 and 3600.");
        }

        if (SignatureWindowSeconds is < 1 or > 300)
        {
            errors.Add($"{SectionName}:SignatureWindowSeconds must be between 1 and 300 (Slack documents five minutes).");
        }

        if (CardUpdateIntervalMilliseconds is < 0 or > 60_000)
        {
            errors.Add($"{SectionName}:CardUpdateIntervalMilliseconds must be between 0 and 60000.");
        }

        if (ResumeAfterSeconds is < 1 or > 3600)
        {
            errors.Add($"{SectionName}:ResumeAfterSeconds must be between 1 and 3600.");
        }

        if (Workers is < 1 or > 64)
        {
            errors.Add($"{SectionName}:Workers must be between 1 and 64.");
        }

        return errors;
    }

    internal Uri ApiBase => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/");
}
