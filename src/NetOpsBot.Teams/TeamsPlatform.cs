namespace NetOpsBot.Teams;

/// <summary>The platform key of Teams users, channels and card messages.</summary>
public static class TeamsPlatform
{
    public const string Key = "teams";
}
