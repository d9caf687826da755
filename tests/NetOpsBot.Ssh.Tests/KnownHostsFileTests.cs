using System.Security.Cryptography;
using System.Text;

namespace NetOpsBot.Ssh.Tests;

public sealed class KnownHostsFileTests
{
    private static readonly byte[] KeyA = Encoding.ASCII.GetBytes("\0\0\0\vssh-ed25519\0\0\0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    private static readonly byte[] KeyB = Encoding.ASCII.GetBytes("\0\0\0\assh-rsa\0\0\0\x03\x01\x00\x01BBBBBBBBBBBBBBBB");

    private static string B64(byte[] k) => Convert.ToBase64String(k);

    [Fact]
    public void Verify_PlainHostOnPort22_Match()
    {
        var file = KnownHostsFile.Parse($"127.0.5.12 ssh-rsa {B64(KeyB)}\n");

        var verdict = file.Verify("127.0.5.12", 22, KnownHostsFile.Fingerprint(KeyB));

        Assert.Equal(HostKeyStatus.Match, verdict.Status);
    }

    [Fact]
    public void Verify_BracketedPortEntry_MatchesOnlyThatPort()
    {
        var file = KnownHostsFile.Parse($"[127.0.5.12]:64443 ssh-rsa {B64(KeyB)}\n# comment\n\n");

        Assert.Equal(HostKeyStatus.Match, file.Verify("127.0.5.12", 64443, KnownHostsFile.Fingerprint(KeyB)).Status);
        Assert.Equal(HostKeyStatus.Unknown, file.Verify("127.0.5.12", 22, KnownHostsFile.Fingerprint(KeyB)).Status);
    }

    [Fact]
    public void Verify_OtherKeyPresented_MismatchNamesBothFingerprints()
    {
        var file = KnownHostsFile.Parse($"[127.0.5.10]:2222 ssh-ed25519 {B64(KeyA)}\n");

        var verdict = file.Verify("127.0.5.10", 2222, "SHA256:" + KnownHostsFile.Fingerprint(KeyB));

        Assert.Equal(HostKeyStatus.Mismatch, verdict.Status);
        Assert.Contains("SHA256:" + KnownHostsFile.Fingerprint(KeyA), verdict.Describe(), StringComparison.Ordinal);
        Assert.Contains("SHA256:" + KnownHostsFile.Fingerprint(KeyB), verdict.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_KeyBlob_UnpaddedBase64OfSha256()
    {
        var fp = KnownHostsFile.Fingerprint(KeyA);

        Assert.Equal(Convert.ToBase64String(SHA256.HashData(KeyA)).TrimEnd('='), fp);
        Assert.DoesNotContain("=", fp, StringComparison.Ordinal);
        Assert.Equal(43, fp.Length);
    }

    [Fact]
    public void Verify_HashedEntry_Match()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
#pragma warning disable CA5350 // OpenSSH's hashed-hostname format
        var hash = HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes("[10.0.0.5]:2222"));
#pragma warning restore CA5350
        var file = KnownHostsFile.Parse($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} ssh-ed25519 {B64(KeyA)}\n");

        Assert.Equal(HostKeyStatus.Match, file.Verify("10.0.0.5", 2222, KnownHostsFile.Fingerprint(KeyA)).Status);
        Assert.Equal(HostKeyStatus.Unknown, file.Verify("10.0.0.6", 2222, KnownHostsFile.Fingerprint(KeyA)).Status);
    }

    [Fact]
    public void Verify_RevokedKeyEvenIfAlsoPinned_Mismatch()
    {
        var file = KnownHostsFile.Parse($"h1,10.0.0.7 ssh-ed25519 {B64(KeyA)}\n@revoked * ssh-ed25519 {B64(KeyA)}\n@cert-authority * ssh-ed25519 {B64(KeyB)}\n");

        Assert.Equal(HostKeyStatus.Mismatch, file.Verify("10.0.0.7", 22, KnownHostsFile.Fingerprint(KeyA)).Status);
        Assert.Equal(HostKeyStatus.Unknown, file.Verify("10.0.0.8", 22, KnownHostsFile.Fingerprint(KeyB)).Status);
    }

    [Fact]
    public void Parse_GarbageLines_Skipped()
    {
        var file = KnownHostsFile.Parse("not a key line\nhost ssh-ed25519 !!!notbase64!!!\n");

        Assert.Equal(0, file.Count);
    }
}

public sealed class CredentialProviderTests
{
    [Fact]
    public async Task EnvironmentProvider_ReferenceWithDash_ReadsUpperCasedVariables()
    {
        var vars = new Dictionary<string, string> { ["NETOPSBOT_CRED_LAB_DEVICE_USER"] = "admin", ["NETOPSBOT_CRED_LAB_DEVICE_PASSWORD"] = "pw-123" };
        var provider = new EnvironmentCredentialProvider(vars.GetValueOrDefault);

        var credential = await provider.GetAsync("lab-device", CancellationToken.None);
        var missing = await provider.GetAsync("other", CancellationToken.None);

        Assert.NotNull(credential);
        Assert.Equal("admin", credential.User);
        Assert.Equal("pw-123", credential.Password);
        Assert.DoesNotContain("pw-123", credential.ToString(), StringComparison.Ordinal);
        Assert.Null(missing);
    }

    [Fact]
    public async Task JsonFileProvider_LabFormat_ReadsEntry()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """{"lab-device": {"user": "labvrp", "password": "s3cret"}}""");

        var provider = new JsonFileCredentialProvider(path);
        var credential = await provider.GetAsync("lab-device", CancellationToken.None);
        var missing = await provider.GetAsync("nope", CancellationToken.None);
        File.Delete(path);

        Assert.Equal("labvrp", credential?.User);
        Assert.Equal("s3cret", credential?.Password);
        Assert.Null(missing);
        Assert.DoesNotContain("s3cret", provider.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfirmationPolicyAnswer_AnythingButYesOrNo_Rejected()
    {
        Assert.Throws<ArgumentException>(() => ConfirmationPolicy.Answer("y\rreboot"));
        Assert.Equal("y", ConfirmationPolicy.Answer("Y").Reply);
    }
}
