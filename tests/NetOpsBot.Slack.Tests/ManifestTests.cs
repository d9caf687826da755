using NetOpsBot.Testing;
using YamlDotNet.RepresentationModel;

namespace NetOpsBot.Slack.Tests;

/// <summary>manifests/slack/manifest.yaml against the app manifest reference's fields and limits (research/slack/PROTOCOL.md §7).</summary>
public sealed class ManifestTests
{
    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepoPaths.Root, "manifests", "slack", "manifest.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public void Manifest_DeclaresTheCommandInteractivityScopesAndSocketModeSwitch_WithinSlackLimits()
    {
        var m = Load();
        Assert.Equal("1", Text(m, "_metadata", "major_version"));
        Assert.InRange(Text(m, "display_information", "name").Length, 1, 35);
        Assert.InRange(Text(m, "display_information", "description").Length, 1, 140);
        Assert.InRange(Text(m, "display_information", "long_description").Length, 174, 4000);
        var botName = Text(m, "features", "bot_user", "display_name");
        Assert.Matches("^[a-z0-9._-]{1,80}$", botName);

        var command = (YamlMappingNode)((YamlSequenceNode)At(m, "features", "slash_commands"))[0];
        Assert.Equal("/sshdiag", Text(command, "command"));
        Assert.EndsWith("/slack/commands", Text(command, "url"), StringComparison.Ordinal);
        Assert.StartsWith("https://", Text(command, "url"), StringComparison.Ordinal);

        var scopes = ((YamlSequenceNode)At(m, "oauth_config", "scopes", "bot")).Select(s => ((YamlScalarNode)s).Value).ToHashSet();
        Assert.Equal(new HashSet<string?> { "commands", "chat:write", "users:read", "usergroups:read" }, scopes);

        Assert.Equal("true", Text(m, "settings", "interactivity", "is_enabled"));
        Assert.EndsWith("/slack/interactivity", Text(m, "settings", "interactivity", "request_url"), StringComparison.Ordinal);
        Assert.Matches("^(true|false)$", Text(m, "settings", "socket_mode_enabled"));
    }
}
