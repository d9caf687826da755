namespace NetOpsBot.Ssh.Tests;

/// <summary>The probe's one-line description of what an open port sent first, as the card shows it.</summary>
public sealed class ProbeBytesTests
{
    [Fact]
    public void TelnetNegotiation_IsNamed_NotPrintedAsQuestionMarks()
    {
        // IAC DO TERMINAL-TYPE, IAC DO TERMINAL-SPEED, IAC DO X-DISPLAY-LOCATION, IAC DO NEW-ENVIRON: what a telnet server sends first.
        byte[] telnet = [0xFF, 0xFD, 0x18, 0xFF, 0xFD, 0x20, 0xFF, 0xFD, 0x23, 0xFF, 0xFD, 0x27];

        Assert.Equal("telnet negotiation seen", SshDeviceAccess.DescribeFirstBytes(telnet));
    }

    [Fact]
    public void SshBanner_IsShownAsSent_UpToTheLineEnd()
    {
        var banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"u8.ToArray();

        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", SshDeviceAccess.DescribeFirstBytes(banner));
    }

    [Fact]
    public void BinaryData_IsDescribedBySize()
    {
        byte[] tls = [0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00];

        Assert.Equal("binary data, 10 bytes, not an SSH banner", SshDeviceAccess.DescribeFirstBytes(tls));
    }
}
