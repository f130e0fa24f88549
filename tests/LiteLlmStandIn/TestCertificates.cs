using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LiteLlmStandIn;

/// <summary>A throwaway CA and server certificates it signs, made at test time (nothing is installed anywhere).</summary>
public sealed class TestCertificates : IDisposable
{
    public static readonly string[] DefaultNames = ["localhost", "litellm.tail1234.ts.net"];

    private TestCertificates(X509Certificate2 authority, IReadOnlyList<string> names)
    {
        Authority = authority;
        Names = names;
    }

    public X509Certificate2 Authority { get; }

    public IReadOnlyList<string> Names { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public static TestCertificates Create(IReadOnlyList<string>? names = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=LiteLLM stand-in test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificates(Reload(authority), names ?? DefaultNames);
    }

    /// <summary>A server certificate for <see cref="Names"/> (DNS names only: no IP address SAN).</summary>
    public X509Certificate2 IssueServerCertificate(bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in Names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        var (notBefore, notAfter) = expired
            ? (DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1))
            : (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, notBefore, notAfter, serial);
        return Reload(issued.CopyWithPrivateKey(key));
    }

    public void WriteAuthorityPem(string path) => File.WriteAllText(path, AuthorityPem);

    public void Dispose() => Authority.Dispose();

    // A PKCS#12 round trip gives a certificate whose key every platform's TLS stack accepts.
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
