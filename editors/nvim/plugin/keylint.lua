-- keylint: filetype detection and user commands. Starting the server is up to the user:
-- `vim.lsp.enable('keylint')` (0.11+) or `require('keylint').setup()` (0.7–0.10).
if vim.g.loaded_keylint then
  return
end
vim.g.loaded_keylint = true

-- Env files get their own filetype `dotenv` (Neovim calls them `sh` or nothing), shown
-- with sh syntax; Compose files get `yaml.docker-compose`, the name nvim-lspconfig's
-- compose server uses, so yaml plugins still apply. Set vim.g.keylint_no_filetypes = true
-- to keep Neovim's own detection.
if not vim.g.keylint_no_filetypes then
  local compose = 'yaml.docker-compose'
  local rules = {
    filename = {
      ['.env'] = 'dotenv',
      ['compose.yaml'] = compose,
      ['compose.yml'] = compose,
      ['docker-compose.yaml'] = compose,
      ['docker-compose.yml'] = compose,
    },
    pattern = {
      ['%.env%.[^/]*'] = 'dotenv',
      ['.*%.env'] = 'dotenv',
      ['.*/%.env%.[^/]*'] = 'dotenv',
      ['.*/compose%.[^/]*%.ya?ml'] = compose,
      ['.*/docker%-compose[^/]*%.ya?ml'] = compose,
      ['.*/%.github/workflows/[^/]*%.ya?ml'] = 'yaml.github',
    },
  }
  if vim.fn.has('nvim-0.8') == 1 then
    vim.filetype.add(rules)
  else
    -- Neovim 0.7: filetype.lua is opt-in, so set the filetype after the built-in detection.
    local group = vim.api.nvim_create_augroup('keylint_filetype', { clear = true })
    local function set(ft)
      return function()
        vim.bo.filetype = ft
      end
    end
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = group,
      pattern = { '.env', '.env.*', '*.env' },
      callback = set('dotenv'),
    })
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = group,
      pattern = { 'compose.yaml', 'compose.yml', 'compose.*.yaml', 'compose.*.yml', 'docker-compose*.yaml', 'docker-compose*.yml' },
      callback = set(compose),
    })
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = group,
      pattern = { '*/.github/workflows/*.yml', '*/.github/workflows/*.yaml' },
      callback = set('yaml.github'),
    })
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = vim.api.nvim_create_augroup('keylint_dotenv', { clear = true }),
    pattern = 'dotenv',
    callback = function(args)
      vim.bo[args.buf].commentstring = '# %s'
      if vim.bo[args.buf].syntax == '' or vim.bo[args.buf].syntax == 'dotenv' then
        vim.bo[args.buf].syntax = 'sh'
      end
    end,
  })
end

vim.api.nvim_create_user_command('KeylintProbe', function(opts)
  require('keylint').probe(opts.args ~= '' and opts.args or nil)
end, { nargs = '?', desc = 'keylint: probe the key under the cursor (or the variable given)' })

vim.api.nvim_create_user_command('KeylintFixAll', function()
  require('keylint').fix_all()
end, { desc = 'keylint: apply every safe fix in this buffer' })
