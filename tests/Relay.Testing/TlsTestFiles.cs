using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Relay.Testing;

/// <summary>
/// Self-signed certificates made for one test run, written as password-protected PKCS#12 files,
/// and <c>--config</c> files for nodes that use them for TLS between nodes (relay.cluster.tls),
/// in a private temporary directory that is deleted on dispose.
/// </summary>
public sealed class TlsTestFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-tls-").FullName;
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Makes a self-signed certificate as a node's (P-256, both TLS roles, valid for a day), writes
    /// it as <paramref name="name"/>.pfx and a config file that turns TLS on with it; returns the
    /// config file's path and the certificate (public part).
    /// </summary>
    public (string ConfigPath, X509Certificate2 Certificate) CreateNodeCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var pfx = CertificatePath(name);
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, _password));
        var config = Path.Combine(_directory, name + ".conf");
        File.WriteAllText(config, $$"""
            relay.cluster.tls {
              enabled = on
              certificate-path = "{{pfx}}"
              certificate-password = "{{_password}}"
            }
            """);
        return (config, X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    /// <summary>Where the PKCS#12 file of <paramref name="name"/> is.</summary>
    public string CertificatePath(string name) => Path.Combine(_directory, name + ".pfx");

    /// <summary>The certificate <paramref name="name"/> with its private key, for a test that plays a node.</summary>
    public X509Certificate2 LoadWithKey(string name) => X509CertificateLoader.LoadPkcs12FromFile(CertificatePath(name), _password);

    /// <summary>Deletes the certificates and config files.</summary>
    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
