#!/usr/bin/env pwsh
# Runs the build program: ./build.ps1 --target=Verify (./build.ps1 --help lists the options), with
# exactly the arguments and behaviour of ./build.sh. Where PowerShell is not installed, the repository's
# tool manifest has it: dotnet tool restore, then dotnet pwsh ./build.ps1 --target=Verify.
# Warm path: the same stamp and rule as build.sh (inputs newer than the stamp rebuild), so switching
# between the two scripts does not rebuild.
$ErrorActionPreference = 'Stop'

# The warm path (no change since the last build) uses the language and .NET only: the first cmdlet of a module
# (Join-Path, Test-Path, Get-Content: Microsoft.PowerShell.Management) or a Get-Command by name has PowerShell
# import a module: a warm start took 2.47 CPU-seconds with them, 2.15 without (tests/benchmark/build-ps1.sh). Paths
# are literal everywhere (.NET, or cmdlets' -LiteralPath): -Path reads [ and ] in a checkout's path as wildcards.
$root = $PSScriptRoot
$out = [IO.Path]::Combine($root, 'build', 'bin', 'cake')
$dll = [IO.Path]::Combine($out, 'Build.dll')
$stamp = [IO.Path]::Combine($out, '.built')

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not $ExecutionContext.InvokeCommand.GetCommand('dotnet', 'Application')) {
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

# As in build.sh, a new .NET SDK or runtime counts as a change (a new compiler; the ReadyToRun copy's code was
# precompiled against the old runtime).
# Where .NET lives is noted at build time in .dotnet-root, beside the stamp (both scripts read it).
function Get-DotnetRoot {
    if ($env:DOTNET_ROOT) { return $env:DOTNET_ROOT }
    $dotnet = Get-Item (Get-Command dotnet).Source
    if ($dotnet.LinkTarget) { $dotnet = $dotnet.ResolveLinkTarget($true) }
    return Split-Path $dotnet.FullName
}

function Test-Changed {
    if (-not [IO.File]::Exists($dll) -or -not [IO.File]::Exists($stamp)) { return $true }
    $built = [IO.File]::GetLastWriteTimeUtc($stamp)
    $noted = [IO.Path]::Combine($out, '.dotnet-root')
    $dotnetRoot = if ([IO.File]::Exists($noted)) { "$(@([IO.File]::ReadAllLines($noted))[0])".Trim() }
    foreach ($dotnetPart in 'sdk', 'shared/Microsoft.NETCore.App') {
        $part = if ($dotnetRoot) { [IO.Path]::Combine($dotnetRoot, $dotnetPart) }
        if ($part -and [IO.Directory]::Exists($part) -and [IO.Directory]::GetLastWriteTimeUtc($part) -gt $built) { return $true }
    }
    # .NET's enumeration, not Get-ChildItem: bin/ and obj/ are never entered (thousands of files), and no
    # object is made per file. Folders count too, as in build.sh: deleting a file changes its folder.
    $build = [IO.Path]::Combine($root, 'build')
    $everything = [IO.EnumerationOptions]@{ RecurseSubdirectories = $true; AttributesToSkip = 0; IgnoreInaccessible = $true }
    $inputs = [Collections.Generic.List[string]]::new()
    $inputs.Add($build)
    foreach ($entry in [IO.Directory]::EnumerateFileSystemEntries($build)) {
        if ([IO.Path]::GetFileName($entry) -in 'bin', 'obj') { continue }
        $inputs.Add($entry)
        if ([IO.Directory]::Exists($entry)) { $inputs.AddRange([IO.Directory]::EnumerateFileSystemEntries($entry, '*', $everything)) }
    }
    foreach ($name in 'global.json', 'build.sh', 'build.ps1') { $inputs.Add([IO.Path]::Combine($root, $name)) }
    foreach ($path in $inputs) {
        if ([IO.File]::GetLastWriteTimeUtc($path) -gt $built) { return $true }
    }
    return $false
}

# As in build.sh: the SDK's build or publish runs with a temp folder of its own (TMPDIR, TMP and TEMP), removed when it
# ends (it leaves two empty folders in the temp folder after each, dotnet/sdk#35353, open). Ctrl-C reaches this script
# as well as the command: PowerShell then stops the script, running only its finally blocks (not catch), and a script
# stopped so exits 0. Here it removes $partial, what the command left half-made, and ends with $message and exit 130.
# The command's output is captured (a file or $log), and PowerShell ends a stopped command's whole process tree then, so
# an SDK that lets Ctrl-C pass (MSBuild can, dotnet/msbuild#11680) stops too; build.sh ends it itself.
function Invoke-Sdk([string]$message, [string]$partial, [scriptblock]$command) {
    $temp = [IO.Directory]::CreateTempSubdirectory().FullName
    $saved = $env:TMPDIR, $env:TMP, $env:TEMP
    $interrupted = $true
    try {
        $env:TMPDIR = $env:TMP = $env:TEMP = $temp
        & $command
        $interrupted = $false
    } catch {
        $interrupted = $false
        throw
    } finally {
        $env:TMPDIR, $env:TMP, $env:TEMP = $saved
        Remove-Item -LiteralPath $temp -Recurse -Force -ErrorAction SilentlyContinue
        if ($interrupted) {
            if ($partial) { Remove-Item -LiteralPath $partial -Recurse -Force -ErrorAction SilentlyContinue }
            [Console]::Error.WriteLine($message)
            exit 130
        }
    }
}

# ReadyToRun, opt-in as in build.sh (VERIFY_READY_TO_RUN=1): a foreground publish of the precompiled program
# (framework-dependent) into build/bin/r2r-<stamp id>/ (from a fresh build/obj/r2r/), on the first run with it
# turned on after a build (a failed attempt is not repeated for that build); Ctrl-C stops it. Never in CI.
function Start-ReadyToRun([string]$id) {
    if ($env:CI -eq 'true' -or $env:GITHUB_ACTIONS -or $env:VERIFY_READY_TO_RUN -ne '1') { return }
    if ([IO.File]::Exists([IO.Path]::Combine($root, 'build', 'obj', 'r2r', "failed-$id"))) { return }
    [Console]::Error.WriteLine('Publishing the ReadyToRun copy (VERIFY_READY_TO_RUN=1): about 20 seconds, once per change to build/; Ctrl-C stops it.')
    $work = Join-Path $root 'build/obj/r2r'
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    [void][IO.Directory]::CreateDirectory($work)
    $target = Join-Path $root "build/bin/r2r-$id"
    # Interrupted, it is not a failed publish: the next run with VERIFY_READY_TO_RUN=1 tries again.
    Invoke-Sdk 'Interrupted: the ReadyToRun copy was not made (nothing is wrong with build/). Fix: run ./build.ps1 again to make it, or without VERIFY_READY_TO_RUN=1 to go on without it.' $target {
        & dotnet publish (Join-Path $root 'build/Build.csproj') --configuration Release --use-current-runtime --self-contained false --disable-build-servers `
            -p:PublishReadyToRun=true -p:RunAnalyzers=false "-p:NuGetLockFilePath=$work/packages.lock.json" "-p:BaseIntermediateOutputPath=$work/" "-p:BaseOutputPath=$work/bin/" `
            "-p:ReadyToRunStamp=$id" --output $target --nologo --verbosity quiet *>&1 | Out-File -LiteralPath (Join-Path $work 'publish.log')
    }
    if ($LASTEXITCODE -ne 0) {
        Remove-Item -LiteralPath $target -Recurse -Force -ErrorAction SilentlyContinue
        [IO.File]::WriteAllText([IO.Path]::Combine($work, "failed-$id"), '')
        [Console]::Error.WriteLine('The ReadyToRun copy was not made (build/obj/r2r/publish.log); the JIT-compiled program runs.')
        return
    }
    # The intermediate and build files (about 60 MB) serve no later run: the next publish starts afresh.
    Get-ChildItem -LiteralPath $work -Force | Where-Object Name -ne 'publish.log' | Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
}

if (Test-Changed) {
    [Console]::Error.WriteLine('Building the build program (build/)...')
    # -Force: PowerShell treats a name that starts with a dot as hidden on Unix and leaves it without.
    Remove-Item -LiteralPath $stamp -Force -ErrorAction SilentlyContinue
    # No code analysis here (as in build.sh): the analyzers run in the test build (CI).
    $log = Invoke-Sdk 'Interrupted: the build program was not built (nothing is wrong with build/). Fix: run ./build.ps1 again.' $null {
        & dotnet build (Join-Path $root 'build/Build.csproj') --configuration Release --output $out --nologo --verbosity quiet --disable-build-servers -p:RunAnalyzers=false 2>&1
    }
    if ($LASTEXITCODE -ne 0) {
        $log | Where-Object { "$_" -match 'error|Error' } | Sort-Object -Unique | ForEach-Object { [Console]::Error.WriteLine("$_") }
        [Console]::Error.WriteLine('Error: the build program did not compile (errors above). Fix: correct build/ and run ./build.ps1 again.')
        exit 1
    }
    Get-ChildItem -LiteralPath (Join-Path $root 'build/bin') -Directory -Filter 'r2r-*' | Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
    $id = "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())-$PID-$(Get-Random)"
    Set-Content -LiteralPath (Join-Path $out '.dotnet-root') -Value (Get-DotnetRoot)
    Set-Content -LiteralPath $stamp -Value $id
}

# The program's usage lines and fixes name the script that ran it.
$env:VERIFY_SCRIPT = './build.ps1'

if ($id = $(if ([IO.File]::Exists($stamp)) { [IO.File]::ReadAllText($stamp).Trim() })) {
    $r2r = [IO.Path]::Combine($root, 'build', 'bin', "r2r-$id")
    if (-not [IO.File]::Exists([IO.Path]::Combine($r2r, '.complete'))) { Start-ReadyToRun $id }
    if ([IO.File]::Exists([IO.Path]::Combine($r2r, '.complete')) -and [IO.File]::Exists([IO.Path]::Combine($r2r, 'Build.dll'))) {
        $dll = [IO.Path]::Combine($r2r, 'Build.dll')
    }
}

# The program's exit code, Ctrl-C included: the program ends the run itself (logout, report), and the script, stopped
# meanwhile, still exits with its code.
try {
    & dotnet $dll @arguments
} finally {
    exit $LASTEXITCODE
}
