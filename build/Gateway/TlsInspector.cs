using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Build.Gateway;

/// <summary>
/// Verifies the gateway's certificate (system trust plus an optional extra CA) and remembers why a
/// handshake was refused, since .NET's exception only says "the remote certificate is invalid".
/// </summary>
public sealed class TlsInspector(X509Certificate2Collection? extraTrust, bool insecure)
{
    public FailureClass? LastProblem { get; private set; }

    public bool SkippedVerification { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (insecure)
        {
            SkippedVerification = true;
            return true;
        }

        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && TrustedByExtraAnchor(certificate, chain))
        {
            return true;
        }

        LastProblem = Classify(certificate, chain, errors);
        return false;
    }

    private bool TrustedByExtraAnchor(X509Certificate certificate, X509Chain? original)
    {
        if (extraTrust is null || extraTrust.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraTrust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (original is not null)
        {
            foreach (var element in original.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private static FailureClass Classify(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var statuses = chain?.ChainStatus.Select(status => status.Status).ToList() ?? [];
        var expired = statuses.Contains(X509ChainStatusFlags.NotTimeValid)
            || (certificate is X509Certificate2 leaf && (leaf.NotAfter < DateTime.Now || leaf.NotBefore > DateTime.Now));
        if (expired)
        {
            return FailureClass.TlsExpired;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return FailureClass.TlsNameMismatch;
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? FailureClass.TlsUntrusted : FailureClass.Tls;
    }
}
