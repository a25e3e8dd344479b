// The staff screens' messages travel in their chunks: importing this module adds them.
import { queueScreensEn } from '../i18n/areas/queue.screens.en'
import { queueScreensZhCN } from '../i18n/areas/queue.screens.zh-CN'
import { addMessages } from '../i18n'

addMessages({ 'zh-CN': queueScreensZhCN, en: queueScreensEn })
