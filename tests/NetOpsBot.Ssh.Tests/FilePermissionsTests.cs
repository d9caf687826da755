namespace NetOpsBot.Ssh.Tests;

/// <summary>
/// Issue 13 item 15: a credentials file or private key that group/others can read, or a known_hosts file that
/// group/others can write, is refused with a message naming the file and the chmod that fixes it.
/// </summary>
public sealed class FilePermissionsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("netopsbot-perm-");

    private string Write(string name, string text, int mode)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }

    [Theory]
    [InlineData(0b110_100_100)] // 0644
    [InlineData(0b110_100_000)] // 0640
    [InlineData(0b110_000_100)] // 0604
    [InlineData(0b111_000_000)] // 0700
    public async Task CredentialsFile_LooserThan0600_IsRefusedNamingFileAndFix(int mode)
    {
        var path = Write("credentials.json", """{"lab-device": {"user": "u", "password": "pw-secret"}}""", mode);

        var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await new JsonFileCredentialProvider(path).GetAsync("lab-device", CancellationToken.None));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0600 or stricter", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b110_000_000)] // 0600
    [InlineData(0b100_000_000)] // 0400
    public async Task CredentialsFile_0600OrStricter_IsRead(int mode)
    {
        var path = Write("credentials.json", """{"lab-device": {"user": "u", "password": "p"}}""", mode);

        var credential = await new JsonFileCredentialProvider(path).GetAsync("lab-device", CancellationToken.None);

        Assert.Equal("u", credential?.User);
    }

    [Theory]
    [InlineData(0b110_110_100)] // 0664
    [InlineData(0b110_100_110)] // 0646
    [InlineData(0b110_110_110)] // 0666
    public void KnownHosts_WritableByGroupOrOthers_IsRefusedNamingFileAndFix(int mode)
    {
        var path = Write("known_hosts", "127.0.0.1 ssh-ed25519 AAAA\n", mode);

        var ex = Assert.Throws<UnauthorizedAccessException>(() => KnownHostsFile.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 644", ex.Message, StringComparison.Ordinal);
        Assert.Contains("world-readable", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0b110_100_100)] // 0644: known_hosts holds public keys only
    [InlineData(0b110_000_000)] // 0600
    [InlineData(0b100_100_100)] // 0444
    public void KnownHosts_WritableByOwnerOnly_IsLoaded(int mode)
    {
        var path = Write("known_hosts", "# pins\n", mode);

        Assert.NotNull(KnownHostsFile.Load(path));
    }

    [Fact]
    public async Task MountedSecretVolume_SymlinksAreJudgedByTheirTarget()
    {
        // Kubernetes-style secret volumes (Container Apps) link each file to a ..data directory: the link is 0777, the target is what counts.
        var target = Write("..data-credentials.json", """{"lab-device": {"user": "u", "password": "p"}}""", 0b110_000_000);
        var link = Path.Combine(_dir.FullName, "credentials.json");
        File.CreateSymbolicLink(link, target);
        var pins = Write("..data-known_hosts", "# pins\n", 0b110_100_100);
        var pinsLink = Path.Combine(_dir.FullName, "known_hosts");
        File.CreateSymbolicLink(pinsLink, pins);

        Assert.Equal("u", (await new JsonFileCredentialProvider(link).GetAsync("lab-device", CancellationToken.None))?.User);
        Assert.NotNull(KnownHostsFile.Load(pinsLink));
    }

    [Fact]
    public async Task JumpHostPrivateKey_ReadableByOthers_IsRefusedNamingFileAndFix()
    {
        var path = Write("bot_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n", 0b110_100_100);
        var jump = new JumpHostOptions { Name = "lab-jump", Address = "127.0.0.1", User = "bot", PrivateKeyPath = path };

        var ex = await Assert.ThrowsAsync<JumpHostKeyUnavailableException>(async () => await new FileJumpHostKeyProvider(_ => null).GetAsync(jump, CancellationToken.None));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JumpHostPrivateKey_LabStoppedSoItsDirectoryIsGone_SaysWhatIsMissingAndWhatToDo()
    {
        // What a user saw on the card after `lab down`: "cannot read the private key …: DirectoryNotFoundException".
        var path = Path.Combine(_dir.FullName, "stopped-lab", "keys", "bot_ed25519");
        var jump = new JumpHostOptions { Name = "lab-jump", Address = "127.0.0.1", User = "bot", PrivateKeyPath = path };

        var ex = await Assert.ThrowsAsync<JumpHostKeyUnavailableException>(async () => await new FileJumpHostKeyProvider(_ => null).GetAsync(jump, CancellationToken.None));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("the file does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("netopsbot lab up", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NetOps:InventoryPath", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
