<#
.SYNOPSIS
    Runs the installer's Pester tests and writes an NUnit XML result; called by Agent.Tests/Installer/PesterTests.cs.
.PARAMETER PesterPath
    Pester.psd1 to import (Pester 6.2.0, restored by NuGet into the package cache).
.PARAMETER ResultPath
    Where to write the NUnit XML result.
.PARAMETER Configuration
    The build configuration whose net48 agent output the release-package test packs (Release or Debug).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $PesterPath,
    [Parameter(Mandatory)]
    [string] $ResultPath,
    [string] $Configuration = 'Release',
    [string[]] $TestPath = $PSScriptRoot,
    [string] $FullNameFilter
)

$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterPath -Force
$env:EEA_CONFIGURATION = $Configuration
# Every test file imports the module as it ships, built once here from Installer/Public and Installer/Private into
# an Installer folder, as in the package (InstallScript.Tests.ps1 puts install.ps1 beside it).
$moduleFolder = Join-Path ([System.IO.Path]::GetTempPath()) "eea-installer-module-$([guid]::NewGuid().ToString('N'))"
$env:EEA_INSTALLER_MODULE = (& (Join-Path (Split-Path -Parent $PSScriptRoot) 'New-ReleasePackage.ps1') -ModuleOnly -OutputDirectory (Join-Path $moduleFolder 'Installer')).FullName

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
if ($FullNameFilter) {
    $config.Filter.FullName = $FullNameFilter
}
try {
    $result = Invoke-Pester -Configuration $config
}
finally {
    Remove-Item -LiteralPath $moduleFolder -Recurse -Force
}
"Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped, $($result.NotRunCount) not run in $([int]$result.Duration.TotalSeconds) s"
if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
    exit 1
}
exit 0
