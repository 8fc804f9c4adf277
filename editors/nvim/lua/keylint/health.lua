-- :checkhealth keylint
local M = {}

local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

function M.check()
  start('keylint')
  local keylint = require('keylint')
  local client = keylint.get_clients(vim.api.nvim_get_current_buf())[1]
  local binary = client and client.config.cmd and client.config.cmd[1] or keylint.binary()
  if vim.fn.executable(binary) ~= 1 then
    error(('`%s` not found or not executable'):format(binary), {
      'Install it: `pipx install keylint`, `cargo binstall keylint` or the install script (see "Install" in the keylint README)',
      'Or point to it: vim.g.keylint_path = "/path/to/keylint" (or $KEYLINT_PATH)',
    })
    return
  end
  local version = vim.trim(vim.fn.system({ binary, '--version' }))
  if vim.v.shell_error ~= 0 then
    error(('`%s --version` failed: %s'):format(binary, version))
    return
  end
  ok(('%s: %s'):format(vim.fn.exepath(binary) ~= '' and vim.fn.exepath(binary) or binary, version))
  if vim.fn.has('nvim-0.11') == 1 then
    local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled('keylint')
    if enabled or (keylint.config ~= nil) then
      ok('language server configured (' .. (enabled and "vim.lsp.enable('keylint')" or "require('keylint').setup()") .. ')')
    else
      warn("language server not enabled: add vim.lsp.enable('keylint') to your config")
    end
  elseif keylint.config ~= nil then
    ok("language server configured (require('keylint').setup())")
  else
    warn("language server not started: call require('keylint').setup() in your config")
  end
  if client then
    ok(('attached to this buffer (client %d, position encoding %s)'):format(client.id, client.offset_encoding or '?'))
  else
    info('no keylint client on the current buffer (open a .env or compose file)')
  end
  if vim.fn.has('nvim-0.8') == 0 then
    return
  end
  local ft = vim.filetype.match({ filename = '.env.local' })
  if ft == 'dotenv' then
    ok('filetype detection: .env.local -> dotenv')
  else
    warn('filetype detection: .env.local -> ' .. tostring(ft) .. ' (expected dotenv; is plugin/keylint.lua loaded?)')
  end
end

return M
