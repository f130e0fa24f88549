using System.Net;
using Build.Core;
using Build.Gateway;
using Build.Security;

namespace Build.Tailnet;

/// <summary>
/// Downloads from the Tailscale packages site. pkgs.tailscale.com answers files with a redirect to
/// another tailscale.com host (tailscale/tailscale#4247; tailscale v1.94.2 clientupdate/distsign/distsign.go
/// logs "Download redirected"), so redirects are followed here, by hand: at most three, https only
/// (plain http only when the site itself is on loopback, for tests), only within the site's own
/// domain, and each hop through the egress policy.
/// </summary>
public sealed class PackageSite(HttpClient http, Uri site, EgressPolicy egress)
{
    public const int MaxRedirects = 3;

    public Uri Root => site;

    public Uri UrlOf(string relativePath) => new($"{site.AbsoluteUri.TrimEnd('/')}/{relativePath.TrimStart('/')}");

    /// <summary>The site's domain: the host without its first label (pkgs.tailscale.com → tailscale.com), or the host itself.</summary>
    public static string DomainOf(Uri site)
    {
        if (site.HostNameType != UriHostNameType.Dns)
        {
            return site.IdnHost;
        }

        var labels = site.IdnHost.TrimEnd('.').Split('.');
        return labels.Length >= 3 ? string.Join('.', labels[1..]) : string.Join('.', labels);
    }

    /// <summary>Whether a redirect from the site may be followed to <paramref name="target"/>.</summary>
    public static bool MayFollow(Uri site, Uri target)
    {
        var schemeAllowed = target.Scheme == Uri.UriSchemeHttps || (target.Scheme == Uri.UriSchemeHttp && site.IsLoopback && target.IsLoopback);
        var domain = DomainOf(site);
        var host = target.IdnHost.TrimEnd('.');
        var inDomain = host.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || (site.HostNameType == UriHostNameType.Dns && host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase));
        return schemeAllowed && inDomain && string.IsNullOrEmpty(target.UserInfo);
    }

    public async Task<byte[]> GetAsync(string relativePath, long limit, CancellationToken cancellationToken)
    {
        var url = UrlOf(relativePath);
        var name = Path.GetFileName(url.AbsolutePath);
        for (var hop = 0; ; hop++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.UserAgent.Add(BuildInfo.UserAgent);
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (EgressBlockedException)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.EgressBlocked));
            }
            catch (HttpRequestException exception)
            {
                throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{name} could not be fetched ({exception.HttpRequestError})"));
            }

            using (response)
            {
                if (IsRedirect(response.StatusCode))
                {
                    var location = response.Headers.Location is { } relative ? new Uri(url, relative) : null;
                    if (location is null || hop >= MaxRedirects)
                    {
                        throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, location is null ? $"{name}: " +
                            "a redirect without a location" : $"{name}: more than {MaxRedirects} redirects"));
                    }

                    if (!MayFollow(site, location))
                    {
                        throw new CheckFailedException(Failure.Of(FailureClass.PackageRedirect,
                            $"{name} was redirected to {location.Scheme}://{location.IdnHost}, outside {DomainOf(site)}"));
                    }

                    egress.Allow(location);
                    url = location;
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{name} answered {(int)response.StatusCode}"));
                }

                if (response.Content.Headers.ContentLength > limit)
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{name} is larger than expected"));
                }

                return await ReadCappedAsync(response, limit, name, cancellationToken);
            }
        }
    }

    private static bool IsRedirect(HttpStatusCode code) =>
        code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
            or HttpStatusCode.PermanentRedirect;

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long limit, string name, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                {
                    throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{name} is larger than expected"));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            throw new CheckFailedException(Failure.Of(FailureClass.TailscaleDownload, $"{name} broke off while downloading"));
        }

        return buffer.ToArray();
    }
}
