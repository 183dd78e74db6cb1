using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Hosting;

namespace Relay.Host.ClusterTls;

/// <summary>
/// TLS between nodes: this node's certificate and the certificates its peers must chain to, loaded
/// and checked at start, and the check Akka.Remote runs on the peer's certificate in every
/// handshake, whichever side connected (each side presents its certificate: mutual TLS).
/// </summary>
internal sealed class ClusterCertificates
{
    // A node's certificate serves both sides: it accepts connections (server) and makes them (client).
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "serverAuth");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "clientAuth");

    private readonly X509Certificate2Collection _trusted;

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2Collection trusted)
    {
        Certificate = certificate;
        _trusted = trusted;
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of this node's certificate, as operators compare certificates.</summary>
    public string Fingerprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>
    /// Loads the certificates <paramref name="settings"/> name and refuses, with a message naming
    /// the key, what would only fail later, in a handshake: a missing or unreadable file, no
    /// private key, a certificate out of its validity, or one its own peers would refuse.
    /// </summary>
    public static ClusterCertificates Load(ClusterTlsSettings settings)
    {
        var certificate = LoadOwn(settings);
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            throw new ConfigurationException(
                $"{ClusterTlsSettings.Key("certificate-path")}: the certificate {certificate.Subject} is valid from " +
                $"{certificate.NotBefore:yyyy-MM-dd HH:mm} to {certificate.NotAfter:yyyy-MM-dd HH:mm}, not now: other nodes would refuse it.");
        }

        var trusted = settings.TrustedCertificatesPath is { } path
            ? LoadTrusted(path)
            : [X509CertificateLoader.LoadCertificate(certificate.RawData)];
        var result = new ClusterCertificates(certificate, trusted);
        if (result.Problem(certificate, presented: null) is { } problem)
        {
            var key = settings.TrustedCertificatesPath is null
                ? $"{ClusterTlsSettings.Key("trusted-certificates-path")} is empty, so it must be self-signed; name its CA there"
                : $"check {ClusterTlsSettings.Key("trusted-certificates-path")}";
            throw new ConfigurationException($"This node's certificate {certificate.Subject} {problem}, so its peers would refuse it: {key}.");
        }

        return result;
    }

    /// <summary>Has Akka.Remote's DotNetty transport speak TLS with this certificate and check peers here.</summary>
    public void Apply(RemoteOptions remote)
    {
        remote.EnableSsl = true;
        remote.Ssl = new SslOptions
        {
            X509Certificate = Certificate,
            // The accepting side asks for the connecting side's certificate too: without it anyone
            // who reaches the port could complete a handshake and speak to the cluster.
            RequireMutualAuthentication = true,
            // Both only matter to Akka's own check, which ValidatePeer replaces; said for the reader.
            SuppressValidation = false,
            ValidateCertificateHostname = false,
            CustomValidator = ValidatePeer,
        };
    }

    /// <summary>
    /// Akka.Remote's certificate check, run in each handshake on the other side's certificate:
    /// it must chain to a trusted certificate, be within its validity and allow both TLS roles.
    /// Akka's own check would trust the system's CA store, so any certificate a public CA issued
    /// to anyone would pass; the host name is not checked, as nodes reach each other by address.
    /// </summary>
    public bool ValidatePeer(X509Certificate2? certificate, X509Chain? presented, string peer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (certificate is null)
        {
            log.Warning("Refused the cluster connection with {0}: it presented no certificate (is relay.cluster.tls on there?)", peer);
            return false;
        }

        if (Problem(certificate, presented) is not { } problem)
            return true;

        log.Warning(
            "Refused the cluster connection with {0}: its certificate {1} (SHA-256 {2}) {3}. Peers must hold a certificate that chains to relay.cluster.tls.trusted-certificates-path, or is this node's own when that is empty (docs/operations.md, \"TLS between nodes\")",
            peer, certificate.Subject, certificate.GetCertHashString(HashAlgorithmName.SHA256), problem);
        return false;
    }

    /// <summary>Why <paramref name="certificate"/> is not to be trusted, or null if it is.</summary>
    private string? Problem(X509Certificate2 certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        // Intermediate CAs may come from the trusted file or from the peer's handshake.
        chain.ChainPolicy.ExtraStore.AddRange(_trusted);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        // A private CA publishes no revocation lists: a compromised key is dealt with by rotation.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        if (chain.Build(certificate))
            return null;
        var reasons = chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct();
        return $"does not chain to a trusted certificate ({string.Join("; ", reasons)})";
    }

    private static X509Certificate2 LoadOwn(ClusterTlsSettings settings)
    {
        var key = ClusterTlsSettings.Key("certificate-path");
        if (!File.Exists(settings.CertificatePath))
            throw new ConfigurationException($"{key}: there is no file {settings.CertificatePath}.");

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(
                settings.CertificatePath, settings.CertificatePassword.Length == 0 ? null : settings.CertificatePassword);
        }
        catch (CryptographicException error)
        {
            throw new ConfigurationException(
                $"{key}: {settings.CertificatePath} could not be read as a PKCS#12 (.pfx) file with " +
                $"{ClusterTlsSettings.Key("certificate-password")} ({error.Message.TrimEnd('.')}).");
        }

        if (!certificate.HasPrivateKey)
            throw new ConfigurationException($"{key}: {settings.CertificatePath} holds no private key for {certificate.Subject}.");
        return certificate;
    }

    private static X509Certificate2Collection LoadTrusted(string path)
    {
        var key = ClusterTlsSettings.Key("trusted-certificates-path");
        if (!File.Exists(path))
            throw new ConfigurationException($"{key}: there is no file {path}.");
        try
        {
            var trusted = new X509Certificate2Collection();
            if (File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                trusted.ImportFromPemFile(path);
            else
                trusted.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            return trusted;
        }
        catch (CryptographicException error)
        {
            throw new ConfigurationException($"{key}: {path} holds no certificate in PEM or DER form ({error.Message.TrimEnd('.')}).");
        }
    }
}
