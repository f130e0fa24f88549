#!/usr/bin/env pwsh
# Runs the build program: ./build.ps1 --target=Verify (./build.ps1 --help lists the options), with
# exactly the arguments and behaviour of ./build.sh. Where PowerShell is not installed, the repository's
# tool manifest has it: dotnet tool restore, then dotnet pwsh ./build.ps1 --target=Verify.
# Warm path: the same stamp and rule as build.sh (inputs newer than the stamp rebuild), so switching
# between the two scripts does not rebuild.
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$out = Join-Path $root 'build/bin/cake'
$dll = Join-Path $out 'Build.dll'
$stamp = Join-Path $out '.built'

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    [Console]::Error.WriteLine('Error: dotnet was not found. Fix: install the .NET SDK 10 (see global.json) and open a new shell.')
    exit 1
}

# PowerShell splits "--name=value:more" in two: run with -File (pwsh ./build.ps1 ... from another
# shell) it passes "--name=value" and "more" and drops the colon, so --litellm-url=http://host:4000
# arrives as "--litellm-url=http" and "//host:4000". The program takes nothing but --name=value
# options and switches, so an element that is not an option, right after one, is such a remainder:
# rejoin it, colon included.
$arguments = [Collections.Generic.List[string]]::new()
for ($i = 0; $i -lt $args.Count; $i++) {
    $argument = [string]$args[$i]
    if ($argument.StartsWith('-') -and $i + 1 -lt $args.Count -and -not ([string]$args[$i + 1]).StartsWith('-')) {
        $argument = if ($argument.EndsWith(':')) { $argument + [string]$args[++$i] } else { $argument + ':' + [string]$args[++$i] }
    }
    $arguments.Add($argument)
}

function Test-Changed {
    if (-not (Test-Path $dll) -or -not (Test-Path $stamp)) { return $true }
    $built = (Get-Item -Force $stamp).LastWriteTimeUtc
    $inputs = @(Get-Item -Path (Join-Path $root 'build')) + @(Get-ChildItem -Path (Join-Path $root 'build') -Recurse -Force |
            Where-Object { $_.FullName -notmatch '[\\/]build[\\/](bin|obj)([\\/]|$)' }) +
        @('global.json', 'build.sh', 'build.ps1' | ForEach-Object { Join-Path $root $_ } | Where-Object { Test-Path $_ } | Get-Item -Force)
    return [bool]($inputs | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}

if (Test-Changed) {
    [Console]::Error.WriteLine('Building the build program (build/)...')
    Remove-Item $stamp -ErrorAction SilentlyContinue
    $log = & dotnet build (Join-Path $root 'build/Build.csproj') --configuration Release --output $out --nologo --verbosity quiet 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | Where-Object { "$_" -match 'error|Error' } | Sort-Object -Unique | ForEach-Object { [Console]::Error.WriteLine("$_") }
        [Console]::Error.WriteLine('Error: the build program did not compile (errors above). Fix: correct build/ and run ./build.ps1 again.')
        exit 1
    }
    New-Item -ItemType File -Path $stamp -Force | Out-Null
}

& dotnet $dll @arguments
exit $LASTEXITCODE
