using Akka.Configuration;

namespace Relay.Host.ClusterTls;

/// <summary>The <c>relay.cluster.tls</c> section: TLS between nodes, read once at start.</summary>
/// <param name="CertificatePath">This node's PKCS#12 file (certificate and private key).</param>
/// <param name="CertificatePassword">Its password; empty for none.</param>
/// <param name="TrustedCertificatesPath">Certificates peers must chain to; null: this node's own certificate.</param>
internal sealed record ClusterTlsSettings(string CertificatePath, string CertificatePassword, string? TrustedCertificatesPath)
{
    private const string Section = "relay.cluster.tls";

    /// <summary>
    /// Reads <c>relay.cluster.tls</c>; null when TLS is off. Refuses Akka's own TLS keys, which
    /// this section replaces: with both, one of them would be ignored without a word.
    /// </summary>
    public static ClusterTlsSettings? Create(Config config)
    {
        if (config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"))
        {
            throw new ConfigurationException(
                "akka.remote.dot-netty.tcp.enable-ssl is on: configure TLS between nodes with relay.cluster.tls instead " +
                "(docs/operations.md, \"TLS between nodes\").");
        }

        var section = config.GetConfig(Section)
            ?? throw new ConfigurationException($"Missing {Section} section; is hocon/relay.conf the fallback?");
        if (!section.GetBoolean("enabled"))
            return null;

        var path = section.GetString("certificate-path");
        if (string.IsNullOrWhiteSpace(path))
            throw new ConfigurationException($"{Section} is enabled but {Section}.certificate-path is empty: name this node's PKCS#12 (.pfx) file.");
        var trusted = section.GetString("trusted-certificates-path");
        return new ClusterTlsSettings(path, section.GetString("certificate-password") ?? "", string.IsNullOrWhiteSpace(trusted) ? null : trusted);
    }

    /// <summary>Names the key <paramref name="key"/> of this section in messages.</summary>
    public static string Key(string key) => $"{Section}.{key}";
}
