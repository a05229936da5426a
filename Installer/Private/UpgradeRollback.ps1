# Steps: replacing the agent with a backup, and putting the previous version back.

function Invoke-BinaryReplacement {
    # The only window in which the transport service is down. Any failure inside it restores the backup.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy,
        [Parameter(Mandatory)][object[]] $Change,
        [Nullable[int]] $Priority,
        [int] $TimeoutSeconds
    )

    $changes = New-Object System.Collections.Generic.List[string]
    Add-Change $changes (Backup-AgentInstallation -Setup $Setup)
    if (-not $PSCmdlet.ShouldProcess("$($Setup.ServerName): stop $script:TransportServiceName, replace $($Change.Count) agent file(s), start it (rolled back on failure)", 'Upgrade')) {
        $changes.Add("Replace $($Change.Count) agent file(s) while $script:TransportServiceName is stopped")
        return $changes
    }
    try {
        Add-Change $changes (Stop-TransportService)
        Add-Change $changes (Copy-AgentBinary -Setup $Setup -Change $Change)
        Add-Change $changes (Copy-ShippedPolicyFile -Setup $Setup)
        Add-Change $changes (Copy-ActivePolicy -Setup $Setup -Policy $Policy)
        Add-Change $changes (Unblock-InstalledFile -Setup $Setup)
        Add-Change $changes (Enable-Agent -Setup $Setup)
        Add-Change $changes (Set-AgentPriority -Setup $Setup -Priority $Priority)
        Add-Change $changes (Start-TransportService -TimeoutSeconds $TimeoutSeconds)
        Confirm-AgentRunning -Setup $Setup
    }
    catch {
        $failure = $_.Exception.Message
        Restore-PreviousVersion -Setup $Setup -Failure $failure -TimeoutSeconds $TimeoutSeconds
        throw "Upgrade failed: $failure The previous version was restored from $($Setup.BackupPath) and $script:TransportServiceName is running again."
    }
    $changes
}

function Backup-AgentInstallation {
    # A full copy of the installation except the logs, replacing any older backup: <InstallPath>.previous.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $description = "Back up $($Setup.InstallPath) to $($Setup.BackupPath)"
    if ($PSCmdlet.ShouldProcess($description, 'Back up')) {
        if (Test-Path -LiteralPath $Setup.BackupPath) {
            Remove-AgentItem -Path $Setup.BackupPath
        }
        foreach ($file in @(Get-InstalledFileForBackup -Setup $Setup)) {
            Copy-AgentFile -Source $file.FullName -Destination (Join-Path $Setup.BackupPath $file.RelativePath)
        }
    }
    $description
}

function Get-InstalledFileForBackup {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    $root = (Get-Item -LiteralPath $Setup.InstallPath).FullName
    $logs = (Join-Path $root $script:LogFolderName) + [System.IO.Path]::DirectorySeparatorChar
    foreach ($file in @(Get-ChildItem -LiteralPath $root -File -Recurse)) {
        if (-not $file.FullName.StartsWith($logs, [System.StringComparison]::OrdinalIgnoreCase)) {
            [pscustomobject]@{ FullName = $file.FullName; RelativePath = $file.FullName.Substring($root.Length).TrimStart('\', '/') }
        }
    }
}

function Restore-PreviousVersion {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [string] $Failure,
        [int] $TimeoutSeconds
    )

    Write-Warning "Upgrade failed ($Failure). Rolling back to the version in $($Setup.BackupPath)."
    try {
        $null = Stop-TransportService
        Restore-AgentInstallation -Setup $Setup
        $null = Start-TransportService -TimeoutSeconds $TimeoutSeconds
    }
    catch {
        throw "Upgrade failed: $Failure Rolling back failed too: $($_.Exception.Message) Restore by hand: stop $script:TransportServiceName, copy $($Setup.BackupPath) over $($Setup.InstallPath), start $script:TransportServiceName, then check Get-TransportAgent and the Application log."
    }
}

function Restore-AgentInstallation {
    # Files the new version added go; every backed-up file comes back. Logs are not touched.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.BackupPath -PathType Container)) {
        throw "There is no backup at $($Setup.BackupPath)."
    }
    $backupRoot = (Get-Item -LiteralPath $Setup.BackupPath).FullName
    $backedUp = @{}
    foreach ($file in @(Get-ChildItem -LiteralPath $backupRoot -File -Recurse)) {
        $backedUp[$file.FullName.Substring($backupRoot.Length).TrimStart('\', '/')] = $file.FullName
    }
    foreach ($file in @(Get-InstalledFileForBackup -Setup $Setup)) {
        if (-not $backedUp.ContainsKey($file.RelativePath)) {
            Remove-AgentItem -Path $file.FullName
        }
    }
    foreach ($relative in $backedUp.Keys) {
        Copy-AgentFile -Source $backedUp[$relative] -Destination (Join-Path $Setup.InstallPath $relative)
    }
}
