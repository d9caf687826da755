using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using NetOpsBot.Teams.Tests.Infrastructure;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// The app package <c>manifests/teams/package.sh</c> builds: files at the zip root, icons of the required sizes,
/// and a manifest that the official JSON schema its <c>$schema</c> names accepts (the schema bundled in
/// @microsoft/app-manifest, checked with the Agents Toolkit's own ajv validation, offline).
/// </summary>
public sealed class TeamsManifestTests : IDisposable
{
    private static readonly string JsDir = JsScript.JsDir;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("netopsbot-teams-manifest-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void Package_HasTheManifestAndIcons_AtTheRoot_AndTheManifestPassesTheOfficialSchema()
    {
        var zip = Path.Combine(_work.FullName, "app.zip");
        JsScript.Run("bash", Path.Combine(RepoPaths.Root, "manifests", "teams", "package.sh"), TestIds.AppId, "netopsbot.example.com", zip);

        using (var archive = ZipFile.OpenRead(zip))
        {
            Assert.Equal(["color.png", "manifest.json", "outline.png"], archive.Entries.Select(e => e.FullName).Order());
            archive.ExtractToDirectory(_work.FullName);
        }

        var manifestPath = Path.Combine(_work.FullName, "manifest.json");
        var text = File.ReadAllText(manifestPath);
        Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        var manifest = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(TestIds.AppId, (string?)manifest["id"]);
        var bot = manifest["bots"]![0]!;
        Assert.Equal(TestIds.AppId, (string?)bot["botId"]);
        Assert.Equal(["groupChat", "personal", "team"], bot["scopes"]!.AsArray().Select(s => (string)s!).Order());
        Assert.Contains(bot["commandLists"]![0]!["commands"]!.AsArray(), c => (string?)c!["title"] == "sshdiag");
        Assert.Equal(["netopsbot.example.com"], manifest["validDomains"]!.AsArray().Select(d => (string)d!));

        Assert.Equal((192, 192, true), Png(Path.Combine(_work.FullName, "color.png")));
        Assert.Equal((32, 32, true), Png(Path.Combine(_work.FullName, "outline.png")));

        var verdict = Validate(manifestPath);
        Assert.Equal("https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json", (string?)verdict["schema"]);
        Assert.EndsWith("teams/v1.19/MicrosoftTeams.schema.json", (string?)verdict["schemaFile"], StringComparison.Ordinal);
        Assert.Empty(verdict["errors"]!.AsArray());
    }

    [Fact]
    public void SchemaCheck_RefusesWhatTeamsWouldRefuse()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "manifests", "teams", "manifest.template.json"))
            .Replace("${APP_ID}", TestIds.AppId, StringComparison.Ordinal)
            .Replace("${DOMAIN}", "netopsbot.example.com", StringComparison.Ordinal))!.AsObject();
        manifest.Remove("accentColor");
        manifest["bots"]![0]!["scopes"]!.AsArray().Add("channel");
        manifest["bots"]![0]!["commandLists"]![0]!["commands"]![0]!["title"] = new string('x', 33);
        var path = Path.Combine(_work.FullName, "broken.json");
        File.WriteAllText(path, manifest.ToJsonString());

        var errors = Validate(path)["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.Contains("must have required property 'accentColor'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/bots/0/scopes/3 must be equal to one of the allowed values", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/bots/0/commandLists/0/commands/0/title must NOT have more than 32 characters", StringComparison.Ordinal));
    }

    private static JsonObject Validate(string manifestPath)
    {
        Assert.True(Directory.Exists(Path.Combine(JsDir, "node_modules", "@microsoft", "app-manifest")), "run `npm ci --prefix tests/NetOpsBot.Teams.Tests/js`");
        var output = JsScript.Run("node", Path.Combine(JsDir, "validate-manifest.js"), manifestPath);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!.AsObject();
        Assert.True(result["setupError"] is null, (string?)result["setupError"]);
        return result;
    }

    /// <summary>Width, height, and whether the PNG has an alpha channel (colour type 6 or 4), from its IHDR.</summary>
    private static (int Width, int Height, bool Alpha) Png(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), bytes[25] is 6 or 4);
    }
}
