#!/usr/bin/env pwsh
# Runs the build program: ./build.ps1 --target=Verify (./build.ps1 --help lists the options).
# Warm path: when nothing under build/ (nor global.json or this script) changed since the last
# build, the built program starts directly, without MSBuild. Any change rebuilds first.
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$out = Join-Path $root 'build/bin/cake'
$dll = Join-Path $out 'Build.dll'
$stamp = Join-Path $out '.inputs.sha256'

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error 'dotnet was not found. Fix: install the .NET SDK 10 (see global.json) and open a new shell.'
    exit 1
}

$files = @(Get-ChildItem -Path (Join-Path $root 'build') -Recurse -File |
        Where-Object { $_.FullName -notmatch '[\\/]build[\\/](bin|obj)[\\/]' } |
        ForEach-Object { [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') }) + @('global.json', 'build.ps1') |
    Sort-Object -CaseSensitive
$sha = [Security.Cryptography.SHA256]::Create()
$buffer = New-Object IO.MemoryStream
foreach ($file in $files) {
    $name = [Text.Encoding]::UTF8.GetBytes("$file`n")
    $buffer.Write($name, 0, $name.Length)
    $bytes = [IO.File]::ReadAllBytes((Join-Path $root $file))
    $buffer.Write($bytes, 0, $bytes.Length)
}
$hash = [BitConverter]::ToString($sha.ComputeHash($buffer.ToArray())).Replace('-', '').ToLowerInvariant()

if (-not (Test-Path $dll) -or -not (Test-Path $stamp) -or (Get-Content $stamp -Raw) -ne $hash) {
    Write-Host 'Building the build program (build/)...'
    Remove-Item $stamp -ErrorAction SilentlyContinue
    dotnet build (Join-Path $root 'build/Build.csproj') --configuration Release --output $out --nologo --verbosity quiet '-clp:ErrorsOnly;NoSummary'
    if ($LASTEXITCODE -ne 0) {
        Write-Error 'the build program did not compile (errors above). Fix: correct build/ and run ./build.ps1 again.'
        exit 1
    }
    Set-Content -Path $stamp -Value $hash -NoNewline
}

& dotnet $dll @args
exit $LASTEXITCODE
