using System.Text.Json;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Security;
using NetOpsBot.Testing;

namespace NetOpsBot.Core.Tests.Security;

public sealed class DeviceOutputRedactorTests
{
    private static readonly string[] Lines = ["snmp-agent community read cipher S3cr3t-x"];
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Real lines, copied from the sample file named (../shared/vrp-samples, provenance in SOURCES.md); the
    /// test checks each line is still in its file, so a table row cannot drift into something invented.
    /// </summary>
    public static TheoryData<string, string, string> RealSampleLines => new()
    {
        {
            "display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt",
            """ local-user client001 password irreversible-cipher $1d$v!=.5/:(q-$xL=\K+if"'S}>k7vGP5$_ox0B@ys7.'DBHL~3*aN$""",
            " local-user client001 password irreversible-cipher <redacted>"
        },
        {
            "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt",
            """ # agent usm-user v3 network-snmp-user authentication-mode sha cipher %^%#W";i(4<R.(t{Qp='6jt'7!#L;1+Nu)#~3`IS1:*0%^%#""",
            " # agent usm-user v3 network-snmp-user authentication-mode sha cipher <redacted>"
        },
        {
            "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt",
            " # snmp-agent usm-user v3 network-snmp-user privacy-mode aes128 cipher %^%#GkyLF$YN441:1TIJj4eLH95qGHIOj1ExNQCvV<m9%^%#",
            " # snmp-agent usm-user v3 network-snmp-user privacy-mode aes128 cipher <redacted>"
        },
        {
            "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt",
            " set authentication password cipher $1c$_o1{B4<$eJ$X+4vW};J9II=Q3Bp2>'4>P`CXW(tIJP:g88|S0i9$",
            " set authentication password cipher <redacted>"
        },
        {
            "display_current-configuration/blog-lanhongshi-quidway-user-interface_1.txt",
            @" set authentication password cipher %$%$1V2:B|!|f%HSgrWXjj*W,e\Sbo{|Km6oOGipQwSRK|VI#kb]%$%$",
            " set authentication password cipher <redacted>"
        },
        {
            // Echo broken at the terminal width with " ESC[1D" just before the keyword; a %@%@ blob.
            "session_transcripts/comocutor-s5710-long-echo_1.txt",
            "[test]undo snmp-agent target-host trap address udp-domain 10.10.1.117 params  \u001b[1Dsecurityname cipher %@%@t8p(B`T%+B&GCp$<g'{Sz!WY%@%@\r",
            "[test]undo snmp-agent target-host trap address udp-domain 10.10.1.117 params  \u001b[1Dsecurityname cipher <redacted>\r"
        },
        {
            "confirmation_prompts/blog-ensp-ac-privilege_1.txt",
            "[AC1-aaa]local-user bad password cipher huawei@123  //创建用户并设置密码",
            "[AC1-aaa]local-user bad password cipher <redacted>  //创建用户并设置密码"
        },
        {
            "confirmation_prompts/huawei-switch-notes-s310-v600_2.txt",
            "[Huawei-SL3-aaa] local-user adminssh password irreversible-cipher Admin@24",
            "[Huawei-SL3-aaa] local-user adminssh password irreversible-cipher <redacted>"
        },
        {
            "rsa_local-key-pair_create/blog-ansible-ensp-s5700_1.txt",
            "[Huawei-aaa]local-user user1 password cipher Huawei@123",
            "[Huawei-aaa]local-user user1 password cipher <redacted>"
        },
    };

    /// <summary>Real lines that name algorithms, modes or prompts, not secrets: parsers and people need them as they are.</summary>
    public static TheoryData<string, string> RealLinesWithoutSecrets => new()
    {
        { "display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt", "ssh server cipher aes128_ctr aes256_ctr aes192_ctr aes128_gcm aes256_gcm" },
        { "display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt", "ssh user client001 authentication-type password" },
        { "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt", "ssh server cipher aes256_ctr aes128_ctr" },
        { "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt", "snmp-agent usm-user v3 network-snmp-user group network-group" },
        { "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt", " authentication-mode password" },
        { "display_current-configuration/real-ce-dc-switch-ssh-section_1.txt", " authentication-mode aaa" },
        { "display_ssh_user-information/huawei-doc-vrp8-port1025_1.txt", "Authentication type   : password" },
        { "login_banners/huawei-doc-vrp8-openssh-login_1.txt", "Warning: The initial password poses security risks." },
        { "login_banners/huawei-doc-vrp8-openssh-login_1.txt", "The password needs to be changed. Change now? [Y/N]:n" },
    };

    /// <summary>
    /// Secret classes no shared sample has (RADIUS/HWTACACS, SNMP communities, NTP, OSPF, BGP, IKE, Cisco-style
    /// lines), in the documented command syntax; the value is always <c>S3cr3t-x</c> so the test can look for it.
    /// </summary>
    public static TheoryData<string, string> DocumentedSyntaxLines => new()
    {
        { " hwtacacs-server shared-key cipher S3cr3t-x", " hwtacacs-server shared-key cipher <redacted>" },
        { " radius-server shared-key cipher S3cr3t-x", " radius-server shared-key cipher <redacted>" },
        { " radius-server authentication 10.1.1.1 1812 shared-key cipher S3cr3t-x", " radius-server authentication 10.1.1.1 1812 shared-key cipher <redacted>" },
        { "snmp-agent community read cipher S3cr3t-x acl 2099 alias cmn", "snmp-agent community read cipher <redacted> acl 2099 alias cmn" },
        { "snmp-agent community write S3cr3t-x", "snmp-agent community write <redacted>" },
        { "snmp-agent usm-user v3 u1 authentication-mode sha S3cr3t-x", "snmp-agent usm-user v3 u1 authentication-mode sha <redacted>" },
        { "ntp-service authentication-keyid 1 authentication-mode md5 cipher S3cr3t-x", "ntp-service authentication-keyid 1 authentication-mode md5 cipher <redacted>" },
        { " ospf authentication-mode md5 1 cipher S3cr3t-x", " ospf authentication-mode md5 1 cipher <redacted>" },
        { " ospf authentication-mode md5 1 plain S3cr3t-x", " ospf authentication-mode md5 1 plain <redacted>" },
        { " ospf authentication-mode simple cipher S3cr3t-x", " ospf authentication-mode simple cipher <redacted>" },
        { " area 0.0.0.0", " area 0.0.0.0" },
        { "  authentication-mode hmac-sha256 1 cipher S3cr3t-x", "  authentication-mode hmac-sha256 1 cipher <redacted>" },
        { " peer 10.1.1.2 password cipher S3cr3t-x", " peer 10.1.1.2 password cipher <redacted>" },
        { " peer 10.1.1.2 password simple S3cr3t-x", " peer 10.1.1.2 password simple <redacted>" },
        { " pre-shared-key cipher S3cr3t-x", " pre-shared-key cipher <redacted>" },
        { "  key-string cipher S3cr3t-x", "  key-string cipher <redacted>" },
        { "super password level 15 cipher S3cr3t-x", "super password level 15 cipher <redacted>" },
        { "hwtacacs-server shared-key cipher \"S3cr3t-x with space\"", "hwtacacs-server shared-key cipher <redacted>" },
        // Cisco-style
        { "username admin privilege 15 secret 5 $1$mERr$S3cr3t-x", "username admin privilege 15 secret 5 <redacted>" },
        { "username admin password 7 S3cr3t-x", "username admin password 7 <redacted>" },
        { "enable secret S3cr3t-x", "enable secret <redacted>" },
        { "snmp-server community S3cr3t-x RO", "snmp-server community <redacted> RO" },
        { " ip ospf message-digest-key 1 md5 7 S3cr3t-x", " ip ospf message-digest-key 1 md5 7 <redacted>" },
        { "ntp authentication-key 1 md5 S3cr3t-x 7", "ntp authentication-key 1 md5 <redacted> 7" },
        { "radius-server host 10.1.1.1 auth-port 1812 key 7 S3cr3t-x", "radius-server host 10.1.1.1 auth-port 1812 key 7 <redacted>" },
        { "tacacs-server key S3cr3t-x", "tacacs-server key <redacted>" },
        // Not secrets.
        { "snmp-agent community complexity-check disable", "snmp-agent community complexity-check disable" },
        { " peer 10.1.1.2 advertise-community", " peer 10.1.1.2 advertise-community" },
        { " local-aaa-user password policy administrator", " local-aaa-user password policy administrator" },
        { "  password expire 0", "  password expire 0" },
        { "Error: Username or password error.", "Error: Username or password error." },
    };

    [Theory]
    [MemberData(nameof(RealSampleLines))]
    public void Real_sample_line_keeps_its_keyword_and_loses_its_secret(string sample, string line, string expected)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.VrpSamples, sample));
        Assert.Contains(line, text, StringComparison.Ordinal);

        Assert.Equal(expected, DeviceOutputRedactor.Redact(line));
    }

    [Theory]
    [MemberData(nameof(RealLinesWithoutSecrets))]
    public void Real_line_without_a_secret_is_unchanged(string sample, string line)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.VrpSamples, sample));
        Assert.Contains(line, text, StringComparison.Ordinal);

        Assert.Equal(line, DeviceOutputRedactor.Redact(line));
    }

    [Theory]
    [MemberData(nameof(DocumentedSyntaxLines))]
    public void Documented_syntax_line_is_redacted(string line, string expected)
    {
        var redacted = DeviceOutputRedactor.Redact(line);

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("S3cr3t", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_real_configuration_files_keep_no_secret_and_every_other_line()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.VrpSamples, "display_current-configuration"), "*.txt"))
        {
            var text = File.ReadAllText(file);
            var redacted = DeviceOutputRedactor.Redact(text);

            Assert.DoesNotMatch(@"%\^%#|%\$%\$|%@%@|\$1[a-d]\$", redacted);
            Assert.Equal(text.Split('\n').Length, redacted.Split('\n').Length);
            Assert.Equal(redacted, DeviceOutputRedactor.Redact(redacted));
        }
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData(" \u001b[1D")]
    public void A_blob_wrapped_at_the_terminal_width_is_redacted_whole(string wrap)
    {
        // The blob of real-ce-dc-switch-ssh-section_1.txt, broken the way a terminal or VRP's echo breaks it.
        var line = " snmp-agent usm-user v3 network-snmp-user privacy-mode aes128 cipher %^%#GkyLF$YN441:1TIJj4eL" + wrap + "H95qGHIOj1ExNQCvV<m9%^%#\r\n#\r\n";

        var redacted = DeviceOutputRedactor.Redact(line);

        Assert.Equal(" snmp-agent usm-user v3 network-snmp-user privacy-mode aes128 cipher <redacted>\r\n#\r\n", redacted);
    }

    [Fact]
    public void A_blob_cut_short_is_redacted_to_its_end_and_the_next_blob_still_is()
    {
        var text = "local-user a password irreversible-cipher %^%#GkyLF$YN441\r\nsnmp-agent community read cipher %^%#W\";i(4<R.(t{Qp%^%#\r\n";

        var redacted = DeviceOutputRedactor.Redact(text);

        Assert.Equal("local-user a password irreversible-cipher <redacted>\r\nsnmp-agent community read cipher <redacted>\r\n", redacted);
    }

    [Fact]
    public void Json_string_values_are_redacted_and_names_kept()
    {
        var json = JsonSerializer.Serialize(new { command = "display current-configuration", output = "sysname sw1\n local-user admin password irreversible-cipher %^%#abc%^%#\n", n = 3, lines = Lines });

        var redacted = DeviceOutputRedactor.RedactJson(json);

        Assert.DoesNotContain("abc", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", redacted, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(redacted);
        Assert.Equal("sysname sw1\n local-user admin password irreversible-cipher <redacted>\n", doc.RootElement.GetProperty("output").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("n").GetInt32());
        Assert.Same(redacted, DeviceOutputRedactor.RedactJson(redacted));
    }

    [Fact]
    public void A_step_result_and_a_stored_step_hold_no_secret()
    {
        const string raw = "> display current-configuration\nsysname sw1\n local-user admin password irreversible-cipher %^%#K3y-blob%^%#\n";
        var result = new StepResult("hardening", "Hardening", StepStatus.Ok, "found local-user admin password cipher S3cr3t-x", [" local-user admin password cipher S3cr3t-x"], raw, TimeSpan.Zero, 1);

        Assert.DoesNotContain("K3y-blob", result.RawOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", result.Finding, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t", result.Evidence[0], StringComparison.Ordinal);

        // A row stored before redaction existed is redacted when read back.
        var stored = JsonSerializer.Serialize(new { stepId = "hardening", title = "Hardening", status = "Ok", finding = "f", evidence = Array.Empty<string>(), commands = Array.Empty<string>(), rawOutput = raw, durationMs = 1.0 });
        var data = JsonSerializer.Deserialize<StepData>(stored, Web)!;
        Assert.DoesNotContain("K3y-blob", data.RawOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_event_stores_no_secret_in_its_summary_or_data()
    {
        var detail = JsonSerializer.Serialize(new { command = "display current-configuration", output = " local-user admin password irreversible-cipher %^%#K3y-blob%^%#" });

        var draft = new TimelineEventDraft(TimelineEventKind.Note, "netopsbot", "Ran: local-user admin password cipher S3cr3t-x", detail, DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("S3cr3t", draft.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("K3y-blob", draft.Data!, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_lines_do_not_make_the_filter_quadratic()
    {
        // One 400 kB line (a pasted blob, a device that never sends a newline): every rule stays linear.
        var line = "snmp-agent " + string.Concat(Enumerable.Repeat("community read x ", 25_000)) + "radius-server " + new string('k', 50_000);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var redacted = DeviceOutputRedactor.Redact(line);

        Assert.NotEqual(DeviceOutputRedactor.Withheld, redacted);
        Assert.DoesNotContain("read x ", redacted, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
    }
}
